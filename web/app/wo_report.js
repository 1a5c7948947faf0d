// The 工单统计 tab of the work-order page (issue 15's reports): the orders
// written in a period, of one department or every one the reader's data
// scope covers (GET /api/v1/reports/work-orders) — how many per category,
// department and state, time-limit compliance, mean time to first response
// and to completion, reopen rate — as figures, ECharts charts and tables,
// downloadable as CSV or XLSX; and beside it first-call resolution
// (GET /api/v1/reports/fcr, 一次性解决问题的呼叫率) of the same period with its
// definition (docs/kpi.md 4.21). FCR is a KPI of calls, not of orders:
// the department filter does not apply to it, and the back office, who
// reads no calls, does not see it.
import { ref, nextTick, onMounted, onUnmounted } from 'vue';
import * as echarts from 'echarts';
import { ElMessage } from 'element-plus';
import { t, lang } from './i18n.js';
import { get, session } from './api.js';
import { clock, pct } from './util.js';

const FCR_READERS = ['admin', 'supervisor', 'qa', 'executive'];
const DAY = 86400000;
// The charts, by the report's key: what kind of chart each group is.
const CHARTS = [
  { key: 'by_category', id: 'woByCategory', type: 'bar' },
  { key: 'by_state', id: 'woByState', type: 'pie' },
  { key: 'by_department', id: 'woByDepartment', type: 'bar' },
];

export default {
  props: { states: { type: Array, default: () => [] } },
  setup(props) {
    const today = new Date(new Date().setHours(0, 0, 0, 0));
    const range = ref([new Date(today - 29 * DAY), today]);   // whole days, the last included
    const dept = ref('');
    const depts = ref([]);
    const rep = ref(null), fcr = ref(null), loading = ref(false);
    const fcrShown = FCR_READERS.includes(session.user.role);
    const els = {};
    const charts = {};
    const setEl = id => el => { if (el) els[id] = el; };

    const stateName = s => {
      const m = props.states.find(x => x.name === s);
      return m && lang.value !== 'en' ? m.zh : s.replace('_', ' ');
    };
    const label = (key, k) => (key === 'by_state' ? stateName(k) : k || t('wor.unassigned'));
    // One group as table rows, largest first, with its share of the total.
    const rows = key => {
      if (!rep.value) return [];
      const o = rep.value[key] || {};
      const n = rep.value.total || 0;
      return Object.entries(o).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([k, v]) => ({ key: k, name: label(key, k), count: v, share: n ? v / n : null }));
    };

    const query = format => {
      const q = new URLSearchParams();
      const [a, b] = range.value || [];
      if (a && b) { q.set('from', a.toISOString()); q.set('to', new Date(+b + DAY).toISOString()); }
      if (dept.value) q.set('department', dept.value);
      if (format) q.set('format', format);
      return q;
    };
    const draw = () => {
      for (const c of CHARTS) {
        const el = els[c.id];
        if (!el) continue;
        if (charts[c.id] && charts[c.id].getDom() !== el) { charts[c.id].dispose(); delete charts[c.id]; }
        if (!charts[c.id]) {
          charts[c.id] = echarts.init(el);
          // The browser tests read what the charts show.
          (window.echartsInstances = window.echartsInstances || {})[c.id] = charts[c.id];
        }
        const r = rows(c.key);
        const title = { text: t('wor.' + c.key), left: 'center', textStyle: { fontSize: 13 } };
        charts[c.id].setOption(c.type === 'pie' ? {
          title, tooltip: { trigger: 'item' },
          series: [{ type: 'pie', radius: ['35%', '65%'], top: 24,
            data: r.map(x => ({ name: x.name, value: x.count })) }],
        } : {
          title, tooltip: { trigger: 'axis' },
          grid: { left: 40, right: 12, top: 36, bottom: 28 },
          xAxis: { type: 'category', data: r.map(x => x.name), axisLabel: { interval: 0 } },
          yAxis: { type: 'value', minInterval: 1 },
          series: [{ type: 'bar', data: r.map(x => x.count), barMaxWidth: 36 }],
        }, true);
      }
    };
    const load = async () => {
      loading.value = true;
      const q = query();
      try {
        rep.value = await get('/api/v1/reports/work-orders?' + q);
        await nextTick();
        draw();
      } catch (e) { ElMessage.error(e.message); }
      if (fcrShown) {
        q.delete('department');
        try { fcr.value = await get('/api/v1/reports/fcr?' + q); } catch (e) { fcr.value = null; ElMessage.error(e.message); }
      }
      loading.value = false;
    };
    const download = async format => {
      try {
        const res = await fetch('/api/v1/reports/work-orders?' + query(format),
          { headers: { Authorization: 'Bearer ' + session.token } });
        if (!res.ok) {
          const j = await res.json().catch(() => null);
          throw new Error((j && j.error) || res.statusText);
        }
        const url = URL.createObjectURL(await res.blob());
        const a = document.createElement('a');
        a.href = url;
        a.download = `work-orders-report.${format}`;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      } catch (e) { ElMessage.error(e.message); }
    };
    const resize = () => Object.values(charts).forEach(c => c.resize());
    onMounted(async () => {
      window.addEventListener('resize', resize);
      try { depts.value = (await get('/api/v1/work-order-departments')).items; } catch (e) { depts.value = []; }
      load();
    });
    onUnmounted(() => {
      window.removeEventListener('resize', resize);
      Object.values(charts).forEach(c => c.dispose());
    });
    const secs = s => (s == null ? t('common.none') : clock(s));
    return { range, dept, depts, rep, fcr, fcrShown, loading, rows, load, download, setEl, secs, pct, t, CHARTS };
  },
  template: `
  <div class="wo-report">
    <div class="row toolbar">
      <el-date-picker v-model="range" type="daterange" size="small" class="wor-range"
        :start-placeholder="t('wor.from')" :end-placeholder="t('wor.to')" />
      <el-select v-model="dept" size="small" clearable filterable class="wor-dept" style="width: 160px"
        :placeholder="t('wor.allDepts')">
        <el-option v-for="d in depts" :key="d.department" :value="d.department" :label="d.name" />
      </el-select>
      <el-button size="small" type="primary" class="wor-load" :loading="loading" @click="load">{{ t('wor.query') }}</el-button>
      <span class="spacer"></span>
      <el-button size="small" class="wor-csv" @click="download('csv')">{{ t('wor.csv') }}</el-button>
      <el-button size="small" class="wor-xlsx" @click="download('xlsx')">{{ t('wor.xlsx') }}</el-button>
    </div>
    <el-row :gutter="12" v-if="rep" class="wor-figures">
      <el-col :span="fcrShown ? 16 : 24">
        <el-descriptions :column="5" border size="small" direction="vertical" class="wor-summary">
          <el-descriptions-item :label="t('wor.total')"><span data-k="total">{{ rep.total }}</span></el-descriptions-item>
          <el-descriptions-item :label="t('wor.compliance')"><span data-k="compliance">{{ pct(rep.compliance) }}</span></el-descriptions-item>
          <el-descriptions-item :label="t('wor.firstResponse')"><span data-k="mean_first_response_s">{{ secs(rep.mean_first_response_s) }}</span></el-descriptions-item>
          <el-descriptions-item :label="t('wor.completion')"><span data-k="mean_completion_s">{{ secs(rep.mean_completion_s) }}</span></el-descriptions-item>
          <el-descriptions-item :label="t('wor.reopen')"><span data-k="reopen_rate">{{ pct(rep.reopen_rate) }}</span></el-descriptions-item>
        </el-descriptions>
      </el-col>
      <el-col v-if="fcrShown" :span="8">
        <el-card shadow="never" class="wor-fcr">
          <div><b>{{ t('wor.fcr') }}</b> <span class="wor-fcr-value" data-k="fcr">{{ fcr ? pct(fcr.fcr) : t('common.none') }}</span></div>
          <div v-if="fcr" class="muted wor-fcr-counts">
            {{ t('wor.fcrCounts', { answered: fcr.answered, resolved: fcr.resolved, repeated: fcr.repeated,
               followed: fcr.followed_up, unresolved: fcr.unresolved }) }}</div>
          <div class="muted wor-fcr-def">{{ t('wor.fcrDef', { h: fcr ? fcr.window_h : 24 }) }}</div>
        </el-card>
      </el-col>
    </el-row>
    <el-row :gutter="12" v-show="rep">
      <el-col v-for="c in CHARTS" :key="c.id" :span="8">
        <div :ref="setEl(c.id)" class="wor-chart" :data-chart="c.key"></div>
      </el-col>
    </el-row>
    <el-row :gutter="12" v-if="rep">
      <el-col v-for="c in CHARTS" :key="c.key" :span="8">
        <el-table :data="rows(c.key)" size="small" :class="'wor-table wor-' + c.key" :empty-text="t('wo.empty')">
          <el-table-column prop="name" :label="t('wor.' + c.key)" min-width="100" />
          <el-table-column prop="count" :label="t('wor.count')" width="70" />
          <el-table-column :label="t('wor.share')" width="80"><template #default="s">{{ pct(s.row.share) }}</template></el-table-column>
        </el-table>
      </el-col>
    </el-row>
  </div>`,
};
