// qa_report: 质检考评报表 — the evaluations of a period by agent (the
// agent's 监听分值 is their average final score), queue or inspector
// (with the sampled calls still waiting for them), and the same rows as
// CSV or XLSX for Excel. The files need the bearer header, which a plain
// link cannot send, so the console fetches them and hands the browser a
// local link (as the audit log's export does).
import { ref, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { get, session } from './api.js';
import { pct } from './util.js';

const NUMS = ['evaluations', 'avg_score', 'avg_given_score', 'failed_critical', 'appeals',
  'upheld', 'changed', 'open_appeals'];

export default {
  setup() {
    const by = ref('agent'), range = ref(null);
    const rows = ref([]), total = ref(null), shown = ref('agent'), loading = ref(false);

    const params = format => {
      const q = new URLSearchParams({ by: by.value });
      if (range.value && range.value[0]) {
        q.set('from', range.value[0].toISOString());
        q.set('to', range.value[1].toISOString());
      }
      if (format) q.set('format', format);
      return '/api/v1/qa/reports?' + q;
    };
    const load = async () => {
      loading.value = true;
      try {
        const r = await get(params());
        shown.value = r.by;
        rows.value = r.items;
        total.value = r.total;
      } catch (e) { ElMessage.error(e.message); }
      finally { loading.value = false; }
    };
    const download = async format => {
      try {
        const res = await fetch(params(format), { headers: { Authorization: 'Bearer ' + session.token } });
        if (!res.ok) {
          const j = await res.json().catch(() => null);
          throw new Error((j && j.error) || res.statusText);
        }
        const url = URL.createObjectURL(await res.blob());
        const a = document.createElement('a');
        a.href = url;
        a.download = `qa-report-${by.value}.${format}`;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      } catch (e) { ElMessage.error(e.message); }
    };
    onMounted(load);
    return { by, range, rows, total, shown, loading, load, download, NUMS, t, pct };
  },
  template: `
  <div class="qa-report">
    <el-form inline @submit.prevent="load">
      <el-form-item :label="t('qa.report.by')">
        <el-select v-model="by" class="qa-by" @change="load">
          <el-option v-for="b in ['agent','queue','inspector']" :key="b" :value="b" :label="t('qa.' + b)" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('calls.range')">
        <el-date-picker v-model="range" type="datetimerange" unlink-panels @change="load" />
      </el-form-item>
      <el-form-item>
        <el-button type="primary" @click="load">{{ t('calls.search') }}</el-button>
        <el-button class="qa-csv" @click="download('csv')">{{ t('qa.report.csv') }}</el-button>
        <el-button class="qa-xlsx" @click="download('xlsx')">{{ t('qa.report.xlsx') }}</el-button>
      </el-form-item>
    </el-form>
    <el-table :data="rows" v-loading="loading" class="qa-report-table" :empty-text="t('qa.noEvals')">
      <el-table-column :prop="shown" :label="t('qa.' + shown)" min-width="100" />
      <el-table-column v-for="k in NUMS" :key="k" :prop="k" :label="t('qa.report.' + k)" min-width="104" />
      <el-table-column :label="t('qa.report.appeal_rate')" min-width="90"><template #default="s">{{ pct(s.row.appeal_rate) }}</template></el-table-column>
      <el-table-column v-if="shown === 'inspector'" prop="pending" :label="t('qa.report.pending')" min-width="80" />
    </el-table>
    <div v-if="total" class="qa-total">{{ t('qa.report.total', { n: total.evaluations, avg: total.avg_score ?? '—' }) }}</div>
  </div>`,
};
