// reports_list: 报表 — one page for every report of GET /api/v1/reports/list
// (the manual's 业务报表 and 话务报表, and the traffic analysis), grouped
// as the manual groups them. The page knows no report: the list gives
// each one's groupings, filters and columns, the report gives its rows.
// A summary shows its total as the table's last line; a detail pages on
// with the server's cursor. CSV and Excel need the bearer header, which a
// plain link cannot send, so the console fetches them and hands the
// browser a local link (as the QA report does).
import { ref, computed, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { t, lang } from './i18n.js';
import { get, session } from './api.js';

const FILTERS = ['queue', 'agent', 'trunk', 'department', 'region'];
const DAY = 86400000;

// The browser's offset as the API's tz (+08:00), so days are local days.
function tzOffset() {
  const m = -new Date().getTimezoneOffset(), a = Math.abs(m);
  const two = n => String(n).padStart(2, '0');
  return (m < 0 ? '-' : '+') + two(Math.floor(a / 60)) + ':' + two(a % 60);
}

export default {
  setup() {
    const reports = ref([]), id = ref(''), group = ref(''), range = ref(null);
    const filters = ref(Object.fromEntries(FILTERS.map(f => [f, ''])));
    const result = ref(null), loading = ref(false), cursors = ref([]);

    const sections = computed(() => {
      const out = [];
      for (const r of reports.value) {
        let s = out.find(x => x.name === r.section);
        if (!s) out.push(s = { name: r.section, items: [] });
        s.items.push(r);
      }
      return out;
    });
    const report = computed(() => reports.value.find(r => r.id === id.value));
    const name = o => (lang.value === 'en' ? o.en : o.zh);
    const rows = computed(() => {
      const r = result.value;
      return r ? r.rows.concat(r.total ? [r.total] : []) : [];
    });
    const cell = (row, col) => {
      const v = row[col.key];
      if (result.value && row === result.value.total && col.key === 'key') return t('rpt.total');
      if (v === null || v === undefined || v === '') return '—';
      if (col.type === 'num1') return Number(v).toFixed(1);
      if (col.type === 'num2') return Number(v).toFixed(2);
      return String(v);
    };

    const query = (format, cursor) => {
      const q = new URLSearchParams({ tz: tzOffset() });
      if (range.value && range.value[0]) {
        q.set('from', range.value[0].toISOString());
        q.set('to', range.value[1].toISOString());
      }
      if (report.value.kind === 'summary' && group.value) q.set('group', group.value);
      for (const f of report.value.filters)
        if (filters.value[f]) q.set(f, filters.value[f]);
      if (cursor) q.set('cursor', cursor);
      if (format) q.set('format', format);
      return `/api/v1/reports/${id.value}?` + q;
    };
    const load = async cursor => {
      if (!report.value) return;
      loading.value = true;
      try {
        result.value = await get(query(null, cursor));
      } catch (e) {
        result.value = null;
        ElMessage.error(e.message);
      } finally { loading.value = false; }
    };
    const search = () => { cursors.value = []; load(); };
    const next = () => {
      cursors.value.push(result.value.next_cursor);
      load(result.value.next_cursor);
    };
    const first = () => { cursors.value = []; load(); };
    const pick = r => {
      id.value = r;
      group.value = report.value.groups.length ? report.value.groups[0].name : '';
      result.value = null;
      search();
    };
    const download = async format => {
      try {
        const res = await fetch(query(format), { headers: { Authorization: 'Bearer ' + session.token } });
        if (!res.ok) {
          const j = await res.json().catch(() => null);
          throw new Error((j && j.error) || res.statusText);
        }
        const url = URL.createObjectURL(await res.blob());
        const a = document.createElement('a');
        a.href = url;
        a.download = `${id.value}.${format}`;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      } catch (e) { ElMessage.error(e.message); }
    };

    onMounted(async () => {
      const now = Date.now();
      range.value = [new Date(now - 7 * DAY), new Date(now)];
      try {
        reports.value = (await get('/api/v1/reports/list')).reports;
        if (reports.value.length) pick(reports.value[0].id);
      } catch (e) { ElMessage.error(e.message); }
    });
    return { reports, sections, id, group, range, filters, result, rows, loading,
      cursors, report, name, cell, search, next, first, pick, download, t, lang, FILTERS };
  },
  template: `
  <div class="reports-list">
    <el-container>
      <el-aside width="210px">
        <el-menu :default-active="id" class="rpt-menu" @select="pick">
          <el-menu-item-group v-for="s in sections" :key="s.name" :title="t('rpt.section.' + s.name)">
            <el-menu-item v-for="r in s.items" :key="r.id" :index="r.id" :class="'rpt-' + r.id">
              {{ name(r) }}
            </el-menu-item>
          </el-menu-item-group>
        </el-menu>
      </el-aside>
      <el-main v-if="report">
        <h3 class="rpt-title">{{ name(report) }}
          <small v-if="report.manual !== report.zh" class="rpt-manual">（{{ report.manual }}）</small></h3>
        <p v-if="lang === 'en'" class="rpt-doc">{{ report.doc }}</p>
        <el-form inline class="rpt-form" @submit.prevent="search">
          <el-form-item :label="t('rpt.period')">
            <el-date-picker v-model="range" type="datetimerange" unlink-panels class="rpt-range" />
          </el-form-item>
          <el-form-item v-if="report.kind === 'summary'" :label="t('rpt.group')">
            <el-select v-model="group" class="rpt-group" style="width: 130px">
              <el-option v-for="g in report.groups" :key="g.name" :value="g.name" :label="name(g)" />
            </el-select>
          </el-form-item>
          <el-form-item v-for="f in report.filters" :key="f" :label="t('rpt.filter.' + f)">
            <el-input v-model="filters[f]" :class="'rpt-f-' + f" clearable style="width: 120px" />
          </el-form-item>
          <el-form-item>
            <el-button type="primary" class="rpt-search" @click="search">{{ t('rpt.search') }}</el-button>
            <el-button class="rpt-csv" @click="download('csv')">{{ t('rpt.csv') }}</el-button>
            <el-button class="rpt-xlsx" @click="download('xlsx')">{{ t('rpt.xlsx') }}</el-button>
          </el-form-item>
        </el-form>
        <el-table v-if="result" :data="rows" v-loading="loading" class="rpt-table" border stripe
                  :empty-text="t('rpt.empty')" :row-class-name="s => result.total && s.rowIndex === rows.length - 1 ? 'rpt-total' : ''">
          <el-table-column v-for="c in result.columns" :key="c.key" :label="name(c)"
                           :min-width="c.type === 'time' ? 160 : c.type === 'text' ? 120 : 110"
                           :align="c.type === 'text' || c.type === 'time' ? 'left' : 'right'">
            <template #default="s">{{ cell(s.row, c) }}</template>
          </el-table-column>
        </el-table>
        <div v-if="result && result.kind === 'detail'" class="rpt-pages">
          <el-button :disabled="!cursors.length" class="rpt-first" @click="first">{{ t('rpt.first') }}</el-button>
          <el-button :disabled="!result.next_cursor" class="rpt-next" @click="next">{{ t('rpt.next') }}</el-button>
          <span class="rpt-page">{{ t('rpt.page', { n: cursors.length + 1 }) }}</span>
        </div>
      </el-main>
    </el-container>
  </div>`,
};
