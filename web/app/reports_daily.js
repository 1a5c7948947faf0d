// reports_daily: 日报 — one day of the center (or a queue) at a glance,
// as a manager puts it on the wall in the morning: every KPI of the day
// against its target (the queue's or the center's own, else the
// reference's: 指标目标), red where missed, and under it the
// control charts of the last 30 days of every KPI whose chart shows a
// signal on that day — the KPIs asking for a cause to be found today.
// Days are UTC days, as the KPI report's daily intervals are.
import { ref, computed, onMounted, onUnmounted, nextTick } from 'vue';
import { ElMessage } from 'element-plus';
import * as echarts from 'echarts';
import { t } from './i18n.js';
import { get } from './api.js';
import KpiTargets from './kpi_targets.js';
import { kpiDefs, kpiName, fmtKpi, missed, expose, intervalLabel, spcOption, rulesByPoint, targetText,
  targetWords, signalText }
  from './reports_fmt.js';

const DAY = 86400000;
const HISTORY = 30;       // days a signal's chart looks back
const REFRESH_MS = 300000; // today's summary on a wall: read again every 5 minutes
const PARALLEL = 4;       // charts asked for at once: the api workers are shared

// The day as picked (local date) → its UTC start.
const utcDay = d => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());

function initialDay() {
  const q = new URLSearchParams(location.hash.split('?')[1] || '').get('day');
  const d = q ? new Date(q + 'T00:00:00') : new Date();
  return isNaN(d) ? new Date() : d;
}

// Runs fn over items, at most n at a time.
async function inBatches(items, n, fn) {
  const out = [];
  for (let i = 0; i < items.length; i += n)
    out.push(...await Promise.all(items.slice(i, i + n).map(fn)));
  return out;
}

export default {
  setup() {
    const day = ref(initialDay());
    const queue = ref(new URLSearchParams(location.hash.split('?')[1] || '').get('queue') || '');
    const queues = ref([]), defs = ref([]);
    const kpis = ref(null), flagged = ref([]), loading = ref(false), editing = ref(false);
    const charts = {};
    const els = {};
    const setEl = id => el => { if (el) els[id] = el; };

    const tiles = computed(() => defs.value.filter(d => d.computed).map(d => {
      const v = kpis.value ? kpis.value[d.id] : null;
      return { d, v, miss: missed(d, v) };
    }));
    const nMissed = computed(() => tiles.value.filter(x => x.miss).length);

    const scopeQ = () => (queue.value ? '&queue=' + encodeURIComponent(queue.value) : '');

    const drawCharts = async () => {
      await nextTick();
      for (const f of flagged.value) {
        const el = els[f.d.id];
        if (!el) continue;
        const c = charts[f.d.id] || (charts[f.d.id] = echarts.init(el));
        expose('daily-' + f.d.id, c);
        c.setOption(spcOption(f.chart, f.chart.start_ms.map(ms => intervalLabel(ms, DAY)), f.d.unit,
          { compact: true }), true);
      }
    };

    const load = async () => {
      if (!day.value) return;
      loading.value = true;
      const from = utcDay(day.value), to = from + DAY;
      try {
        defs.value = await kpiDefs(queue.value);  // the queue's own targets
        const r = await get(`/api/v1/reports/kpi?interval=1d&from=${new Date(from).toISOString()}` +
          `&to=${new Date(to).toISOString()}${scopeQ()}`);
        const row = (r.rows || []).find(x => x.start_ms === from);
        kpis.value = row ? row.kpis : null;
        // Each KPI's last 30 days charted; kept when a signal takes in the day.
        const got = await inBatches(defs.value.filter(d => d.computed), PARALLEL, async d => {
          try {
            const c = await get(`/api/v1/reports/spc?kpi=${d.id}&interval=1d` +
              `&from=${new Date(from - (HISTORY - 1) * DAY).toISOString()}&to=${new Date(to).toISOString()}${scopeQ()}`);
            const last = c.start_ms.length - 1;
            if (last < 0 || c.start_ms[last] !== from) return null;
            const rules = rulesByPoint(c)[last];
            return rules ? { d, chart: c, rules } : null;
          } catch (e) { return null; }  // too few days or no variation: no chart to show
        });
        for (const id of Object.keys(charts)) { charts[id].dispose(); delete charts[id]; }
        flagged.value = got.filter(Boolean);
        await drawCharts();
      } catch (e) { ElMessage.error(e.message); }
      finally { loading.value = false; }
    };

    const chartLink = f => `#/spc?kpi=${f.d.id}&interval=1d${queue.value ? '&queue=' + queue.value : ''}`;
    const ruleText = f => f.chart.signals.filter(s => s.points.includes(f.chart.points.length - 1))
      .map(s => s.rule + ' ' + signalText(s.text));
    const resize = () => Object.values(charts).forEach(c => c.resize());
    const timer = setInterval(() => {
      if (!loading.value && day.value && utcDay(day.value) === utcDay(new Date())) load();
    }, REFRESH_MS);
    onMounted(async () => {
      window.addEventListener('resize', resize);
      try { queues.value = (await get('/api/v1/queue-config')).items.map(x => x.name); }
      catch (e) { ElMessage.error(e.message); }
      load();
    });
    onUnmounted(() => {
      clearInterval(timer);
      window.removeEventListener('resize', resize);
      Object.values(charts).forEach(c => c.dispose());
    });
    return { day, queue, queues, kpis, editing, tiles, nMissed, flagged, loading, load, setEl, chartLink, ruleText,
      t, kpiName, fmtKpi, targetText, targetWords };
  },
  components: { KpiTargets },
  template: `
  <div class="daily-page" v-loading="loading">
    <el-form inline class="report-bar" @submit.prevent="load">
      <el-form-item :label="t('daily.day')">
        <el-date-picker v-model="day" type="date" :clearable="false" class="daily-day" @change="load" />
      </el-form-item>
      <el-form-item :label="t('daily.queue')">
        <el-select v-model="queue" clearable :placeholder="t('spc.all')" style="width: 140px" class="daily-queue" @change="load">
          <el-option v-for="q in queues" :key="q" :value="q" :label="q" />
        </el-select>
      </el-form-item>
      <el-form-item v-if="kpis">
        <el-tag :type="nMissed ? 'danger' : 'success'" effect="dark" size="large" class="daily-missed">
          {{ nMissed ? t('daily.missed', { n: nMissed }) : t('daily.allMet') }}</el-tag>
      </el-form-item>
      <el-form-item>
        <el-button class="daily-targets" @click="editing = true">{{ t('targets.title') }}</el-button>
      </el-form-item>
    </el-form>

    <div class="section-title">{{ t('daily.kpis') }}</div>
    <el-alert v-if="!kpis && !loading" class="daily-nodata" type="info" show-icon :closable="false"
              :title="t('daily.noData')" />
    <div class="daily-kpis">
      <div v-for="x in tiles" :key="x.d.id" class="kpi-tile" :class="{ missed: x.miss === true, met: x.miss === false }"
           :data-kpi="x.d.id" :data-missed="x.miss === true">
        <div class="name">{{ kpiName(x.d) }}</div>
        <div class="v">{{ fmtKpi(x.v, x.d.unit) }}</div>
        <div class="target" :title="targetWords(x.d)">{{ t('daily.target') }} {{ targetText(x.d) }}</div>
      </div>
    </div>

    <el-drawer v-model="editing" :title="t('targets.title')" size="70%" class="targets-drawer">
      <kpi-targets v-if="editing" :queue="queue || ''" @saved="load" />
    </el-drawer>

    <div class="section-title">{{ t('daily.charts') }}</div>
    <div v-if="!flagged.length && !loading" class="spc-calm daily-calm">{{ t('daily.noSignals') }}</div>
    <div class="daily-charts">
      <el-card v-for="f in flagged" :key="f.d.id" shadow="never" class="daily-card" :data-kpi="f.d.id">
        <template #header>
          <div class="spc-head"><b>{{ kpiName(f.d) }}</b>
            <el-tag v-for="r in f.rules" :key="r" type="danger" effect="dark" size="small">{{ r }}</el-tag>
            <span class="spacer"></span>
            <a :href="chartLink(f)" class="daily-open">{{ t('daily.open') }} ›</a>
          </div>
        </template>
        <div :ref="setEl(f.d.id)" class="daily-chart"></div>
        <div v-for="(s, i) in ruleText(f)" :key="i" class="daily-sig">⚠ {{ s }}</div>
      </el-card>
    </div>
  </div>`,
};
