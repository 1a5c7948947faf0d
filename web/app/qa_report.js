// qa_report: 质检考评报表 — the evaluations of a period by agent (the
// agent's 监听分值 is their average final score), queue or inspector
// (with the sampled calls still waiting for them), by scorecard item (its
// pass rate), or each agent's score trend per week or month (an ECharts
// line per agent, in the browser's time zone), and the same rows as CSV
// or XLSX for Excel. The files need the bearer header, which a plain
// link cannot send, so the console fetches them and hands the browser a
// local link (as the audit log's export does).
import { ref, nextTick, onMounted, onUnmounted } from 'vue';
import * as echarts from 'echarts';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { get, session } from './api.js';
import { pct } from './util.js';

const NUMS = ['evaluations', 'avg_score', 'avg_given_score', 'failed_critical', 'appeals',
  'upheld', 'changed', 'open_appeals'];
const ANSWERS = ['yes', 'no', 'partial', 'na'];
const BYS = ['agent', 'queue', 'inspector', 'item', 'trend'];
// The zone the weeks and months start in: the reader's.
const zone = () => { try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch (e) { return 'UTC'; } };

export default {
  setup() {
    const by = ref('agent'), range = ref(null), period = ref('week');
    const rows = ref([]), total = ref(null), shown = ref('agent'), loading = ref(false);
    const chartEl = ref(null);
    let chart = null;

    const params = format => {
      const q = new URLSearchParams({ by: by.value });
      if (by.value === 'trend') { q.set('period', period.value); q.set('tz', zone()); }
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
        if (r.by === 'trend') { await nextTick(); draw(r.items); }
      } catch (e) { ElMessage.error(e.message); }
      finally { loading.value = false; }
    };
    // One line per agent over every period any agent has; a period
    // without scores is a gap in the agent's line, not a zero.
    const draw = items => {
      if (!chartEl.value) return;
      const periods = [...new Set(items.map(r => r.period))].sort();
      const agents = [...new Set(items.map(r => r.agent))].sort();
      const at = {};
      for (const r of items) at[r.agent + '|' + r.period] = r.avg_score;
      if (chart && chart.getDom() !== chartEl.value) { chart.dispose(); chart = null; }
      if (!chart) {
        chart = echarts.init(chartEl.value);
        // The browser tests read what the chart shows.
        (window.echartsInstances = window.echartsInstances || {}).qaTrend = chart;
      }
      chart.setOption({
        tooltip: { trigger: 'axis' },
        legend: { data: agents, top: 0 },
        grid: { left: 40, right: 16, top: 32, bottom: 24 },
        xAxis: { type: 'category', data: periods },
        yAxis: { type: 'value', min: 0, max: 100 },
        series: agents.map(a => ({ name: a, type: 'line', connectNulls: false,
          data: periods.map(p => at[a + '|' + p] ?? null) })),
      }, true);
    };
    const resize = () => chart && chart.resize();
    onUnmounted(() => { window.removeEventListener('resize', resize); if (chart) chart.dispose(); chart = null; });
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
    onMounted(() => { window.addEventListener('resize', resize); load(); });
    return { by, range, period, rows, total, shown, loading, chartEl, load, download, NUMS, ANSWERS, BYS, t, pct };
  },
  template: `
  <div class="qa-report">
    <el-form inline @submit.prevent="load">
      <el-form-item :label="t('qa.report.by')">
        <el-select v-model="by" class="qa-by" @change="load">
          <el-option v-for="b in BYS" :key="b" :value="b" :label="t('qa.report.by.' + b)" />
        </el-select>
      </el-form-item>
      <el-form-item v-if="by === 'trend'" :label="t('qa.report.period')">
        <el-radio-group v-model="period" class="qa-period" @change="load">
          <el-radio-button value="week">{{ t('qa.report.week') }}</el-radio-button>
          <el-radio-button value="month">{{ t('qa.report.month') }}</el-radio-button>
        </el-radio-group>
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
    <template v-if="shown === 'trend'">
      <div ref="chartEl" class="qa-trend-chart"></div>
      <el-table :data="rows" v-loading="loading" class="qa-report-table qa-trend-table" :empty-text="t('qa.noEvals')">
        <el-table-column prop="agent" :label="t('qa.agent')" min-width="90" />
        <el-table-column prop="period" :label="t('qa.report.periodStart')" min-width="110" />
        <el-table-column prop="evaluations" :label="t('qa.report.evaluations')" min-width="90" />
        <el-table-column prop="avg_score" :label="t('qa.report.avg_score')" min-width="90" />
      </el-table>
    </template>
    <el-table v-else-if="shown === 'item'" :data="rows" v-loading="loading" class="qa-report-table qa-item-table" :empty-text="t('qa.noEvals')">
      <el-table-column prop="scorecard" :label="t('qa.scorecard')" min-width="110" />
      <el-table-column prop="text" :label="t('qa.item')" min-width="140" />
      <el-table-column v-for="a in ANSWERS" :key="a" :prop="a" :label="t('qa.ans.' + a)" min-width="70" />
      <el-table-column :label="t('qa.report.pass_rate')" min-width="90"><template #default="s">{{ pct(s.row.pass_rate) }}</template></el-table-column>
    </el-table>
    <el-table v-else :data="rows" v-loading="loading" class="qa-report-table" :empty-text="t('qa.noEvals')">
      <el-table-column :prop="shown" :label="t('qa.' + shown)" min-width="100" />
      <el-table-column v-for="k in NUMS" :key="k" :prop="k" :label="t('qa.report.' + k)" min-width="104" />
      <el-table-column :label="t('qa.report.appeal_rate')" min-width="90"><template #default="s">{{ pct(s.row.appeal_rate) }}</template></el-table-column>
      <el-table-column v-if="shown === 'inspector'" prop="pending" :label="t('qa.report.pending')" min-width="80" />
    </el-table>
    <div v-if="total" class="qa-total">{{ t('qa.report.total', { n: total.evaluations, avg: total.avg_score ?? '—' }) }}</div>
  </div>`,
};
