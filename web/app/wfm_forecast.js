// wfm_forecast: 预测与排班需求 — a queue's calls and handle time per 15 or
// 30 minutes for the coming weeks (Holt-Winters over its stored history),
// the agents each interval needs for the service-level target (Erlang C,
// or Erlang A when callers' patience is given) grossed up for shrinkage,
// and how well the model forecast the held-out last week (MAPE), drawn
// beside what actually came so the planner sees where it misses. The
// server's refusals (too little history, too long a period) are shown
// with their reason.
import { ref, reactive, computed, onMounted, onUnmounted, nextTick } from 'vue';
import * as echarts from 'echarts';
import { t } from './i18n.js';
import { get } from './api.js';
import { clock, pct } from './util.js';
import { DAY_MS, dayStart, iso, hm, ymd, weekday, dayLabel, forecastFrom } from './wfm_days.js';

const tickOf = (ms, iv) => {
  const s = hm(ms);
  return s === '00:00' ? dayLabel(ms) : s;
};

export default {
  setup() {
    const queues = ref([]);
    const form = reactive({
      queue: '', interval: '30m', history: 8, weeks: 1, from: new Date(forecastFrom()),
      sl: 80, sl_time: null, shrinkage: 30, erlang: 'c', patience: 60, model: 'auto',
    });
    const res = ref(null), error = ref(''), loading = ref(false);
    const heldEl = ref(null), fcEl = ref(null), ahtEl = ref(null);
    const charts = {};

    const query = () => {
      const q = new URLSearchParams({
        queue: form.queue, interval: form.interval, history: form.history,
        weeks: form.weeks, from: iso(dayStart(form.from)), sl: form.sl / 100,
        shrinkage: form.shrinkage / 100, model: form.model,
      });
      if (form.sl_time != null && form.sl_time !== '') q.set('sl_time', form.sl_time);
      if (form.erlang === 'a') q.set('patience', form.patience);
      return '/api/v1/wfm/forecast?' + q;
    };

    // One row per day of the forecast: what a planner books people by.
    const days = computed(() => {
      const r = res.value;
      if (!r) return [];
      const h = r.interval_ms / 3600000, by = new Map();
      for (const row of r.rows) {
        const d = dayStart(row.start_ms);
        if (!by.has(d)) by.set(d, { day: d, calls: 0, handle: 0, peakCalls: 0, peakAgents: 0,
          peakSched: 0, hours: 0, minSl: 1 });
        const x = by.get(d);
        x.calls += row.calls;
        x.handle += row.calls * row.aht_s;
        x.peakCalls = Math.max(x.peakCalls, row.calls);
        x.peakAgents = Math.max(x.peakAgents, row.agents);
        x.peakSched = Math.max(x.peakSched, row.scheduled);
        x.hours += row.scheduled * h;
        if (row.calls >= 1e-3) x.minSl = Math.min(x.minSl, row.service_level);
      }
      return [...by.values()].map(x => ({ ...x, aht: x.calls ? x.handle / x.calls : null }));
    });
    const summary = computed(() => {
      const r = res.value;
      if (!r) return null;
      return {
        calls: r.rows.reduce((n, x) => n + x.calls, 0),
        peak: r.rows.reduce((n, x) => Math.max(n, x.scheduled), 0),
        hours: days.value.reduce((n, x) => n + x.hours, 0),
      };
    });

    const chart = (key, el) => {
      if (!charts[key] && el) {
        charts[key] = echarts.init(el);
        // The browser tests read what the charts show.
        (window.echartsInstances = window.echartsInstances || {})['wfm_' + key] = charts[key];
      }
      return charts[key];
    };
    const draw = () => {
      const r = res.value;
      if (!r) return;
      const iv = r.interval_ms;
      const ho = r.held_out;
      const hx = ho.actual.map((_, i) => tickOf(ho.from_ms + i * iv, iv));
      const perDay = Math.round(DAY_MS / iv);
      chart('held', heldEl.value).setOption({
        animationDuration: 300,
        tooltip: { trigger: 'axis', valueFormatter: v => (v == null ? '' : v.toFixed(1)) },
        legend: { top: 0, right: 8, data: [t('wfm.fc.actual'), t('wfm.fc.heldForecast')] },
        grid: { left: 48, right: 24, top: 36, bottom: 56 },
        // A week: one label a day, at its midnight.
        xAxis: { type: 'category', data: hx, axisLabel: { interval: i => i % perDay === 0 } },
        yAxis: { type: 'value', name: t('wfm.fc.callsAxis') },
        dataZoom: [{ type: 'slider', bottom: 8, height: 18 }],
        series: [
          { name: t('wfm.fc.actual'), type: 'line', data: ho.actual, showSymbol: false,
            itemStyle: { color: '#909399' }, areaStyle: { opacity: 0.15 } },
          { name: t('wfm.fc.heldForecast'), type: 'line', data: ho.forecast, showSymbol: false,
            itemStyle: { color: '#e6a23c' }, lineStyle: { type: 'dashed' } },
        ],
      }, true);
      const x = r.rows.map(row => tickOf(row.start_ms, iv));
      // The first day is shown; the slider reaches the rest.
      const zoom = { type: 'slider', bottom: 8, height: 18, startValue: 0, endValue: perDay - 1 };
      chart('fc', fcEl.value).setOption({
        animationDuration: 300,
        tooltip: { trigger: 'axis', valueFormatter: v => (v == null ? '' : Number.isInteger(v) ? v : v.toFixed(1)) },
        legend: { top: 0, data: [t('wfm.fc.calls'), t('wfm.fc.agents'), t('wfm.fc.scheduled')] },
        grid: { left: 48, right: 48, top: 40, bottom: 56 },
        xAxis: { type: 'category', data: x },
        yAxis: [{ type: 'value', name: t('wfm.fc.callsAxis') },
          { type: 'value', name: t('wfm.fc.agentsAxis'), minInterval: 1, splitLine: { show: false } }],
        dataZoom: [zoom, { type: 'inside' }],
        series: [
          { name: t('wfm.fc.agents'), type: 'bar', yAxisIndex: 1, data: r.rows.map(x => x.agents),
            itemStyle: { color: '#95d475' }, barGap: '-100%', z: 3 },
          { name: t('wfm.fc.scheduled'), type: 'bar', yAxisIndex: 1, data: r.rows.map(x => x.scheduled),
            itemStyle: { color: '#c6e2ff' }, z: 2 },
          { name: t('wfm.fc.calls'), type: 'line', data: r.rows.map(x => x.calls), showSymbol: false,
            itemStyle: { color: '#409eff' }, lineStyle: { width: 2 }, z: 4 },
        ],
      }, true);
      chart('aht', ahtEl.value).setOption({
        animationDuration: 300,
        tooltip: { trigger: 'axis', valueFormatter: v => clock(v) },
        grid: { left: 56, right: 48, top: 32, bottom: 56 },
        xAxis: { type: 'category', data: x },
        yAxis: { type: 'value', name: t('wfm.fc.ahtAxis'), scale: true },
        dataZoom: [zoom, { type: 'inside' }],
        series: [{ name: t('wfm.fc.aht'), type: 'line', step: 'middle', showSymbol: false,
          data: r.rows.map(x => x.aht_s), itemStyle: { color: '#b37feb' } }],
      }, true);
    };

    const load = async () => {
      if (!form.queue) { error.value = t('wfm.fc.pickQueue'); return; }
      loading.value = true;
      error.value = '';
      try {
        res.value = await get(query());
        await nextTick();
        draw();
      } catch (e) {
        res.value = null;
        error.value = e.message;
      } finally { loading.value = false; }
    };
    // The rows as CSV for Excel (a BOM so it reads UTF-8; the API's names),
    // one line per interval, local times.
    const download = () => {
      const r = res.value;
      if (!r) return;
      const head = ['start', 'calls', 'aht_s', 'agents', 'scheduled', 'service_level'];
      const lines = [head.join(','), ...r.rows.map(x => [`${ymd(x.start_ms)} ${hm(x.start_ms)}`,
        x.calls.toFixed(3), x.aht_s.toFixed(1), x.agents, x.scheduled, x.service_level.toFixed(4)].join(','))];
      const url = URL.createObjectURL(new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `forecast-${r.queue}-${ymd(r.from_ms)}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    };
    const resize = () => Object.values(charts).forEach(c => c.resize());
    onMounted(async () => {
      window.addEventListener('resize', resize);
      try {
        const r = await get('/api/v1/queues');
        queues.value = (r.items || []).map(q => q.name).sort();
        if (!form.queue && queues.value.length) form.queue = queues.value[0];
      } catch (e) { error.value = e.message; }
    });
    onUnmounted(() => {
      window.removeEventListener('resize', resize);
      Object.values(charts).forEach(c => c.dispose());
    });
    return { download, queues, form, res, error, loading, load, days, summary, heldEl, fcEl, ahtEl,
      t, pct, clock, ymd, weekday };
  },
  template: `
  <div class="wfm-forecast">
    <el-form inline class="wfm-form" @submit.prevent="load">
      <el-form-item :label="t('wfm.queue')">
        <el-select v-model="form.queue" class="wfm-queue" filterable>
          <el-option v-for="q in queues" :key="q" :value="q" :label="q" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('wfm.fc.interval')">
        <el-radio-group v-model="form.interval" class="wfm-interval">
          <el-radio-button value="15m">15 {{ t('wfm.min') }}</el-radio-button>
          <el-radio-button value="30m">30 {{ t('wfm.min') }}</el-radio-button>
        </el-radio-group>
      </el-form-item>
      <el-form-item :label="t('wfm.fc.from')">
        <el-date-picker v-model="form.from" type="date" :clearable="false" class="wfm-from" style="width: 140px" />
      </el-form-item>
      <el-form-item :label="t('wfm.fc.history')">
        <el-input-number v-model="form.history" :min="3" :max="26" class="wfm-history" style="width: 110px" />
      </el-form-item>
      <el-form-item :label="t('wfm.fc.weeks')">
        <el-input-number v-model="form.weeks" :min="1" :max="8" class="wfm-weeks" style="width: 100px" />
      </el-form-item>
      <el-form-item :label="t('wfm.fc.sl')">
        <el-input-number v-model="form.sl" :min="1" :max="99" class="wfm-sl" style="width: 100px" />
        <span class="wfm-unit">% {{ t('wfm.fc.within') }}</span>
        <el-input-number v-model="form.sl_time" :min="0" :max="3600" :placeholder="t('wfm.fc.queueSl')"
                         controls-position="right" class="wfm-sltime" style="width: 110px" />
        <span class="wfm-unit">{{ t('wfm.sec') }}</span>
      </el-form-item>
      <el-form-item :label="t('wfm.fc.shrinkage')">
        <el-input-number v-model="form.shrinkage" :min="0" :max="90" class="wfm-shrinkage" style="width: 100px" />
        <span class="wfm-unit">%</span>
      </el-form-item>
      <el-form-item :label="t('wfm.fc.erlang')">
        <el-radio-group v-model="form.erlang" class="wfm-erlang">
          <el-radio-button value="c">Erlang C</el-radio-button>
          <el-radio-button value="a">Erlang A</el-radio-button>
        </el-radio-group>
        <template v-if="form.erlang === 'a'">
          <span class="wfm-unit">{{ t('wfm.fc.patience') }}</span>
          <el-input-number v-model="form.patience" :min="1" :max="3600" class="wfm-patience" style="width: 110px" />
          <span class="wfm-unit">{{ t('wfm.sec') }}</span>
        </template>
      </el-form-item>
      <el-form-item :label="t('wfm.fc.model')">
        <el-select v-model="form.model" class="wfm-model" style="width: 130px">
          <el-option v-for="m in ['auto','additive','multiplicative']" :key="m" :value="m" :label="t('wfm.fc.model.' + m)" />
        </el-select>
      </el-form-item>
      <el-form-item>
        <el-button type="primary" native-type="submit" class="wfm-run" :loading="loading">{{ t('wfm.fc.run') }}</el-button>
        <el-button v-if="res" class="wfm-csv" @click="download">{{ t('wfm.fc.csv') }}</el-button>
      </el-form-item>
    </el-form>
    <el-alert v-if="error" type="error" :closable="false" show-icon class="wfm-fc-error" :title="t('wfm.fc.refused')" :description="error" />
    <template v-if="res">
      <div class="wfm-cards">
        <div class="wfm-card wfm-mape" :class="{ bad: res.accuracy.mape != null && res.accuracy.mape > 0.15 }">
          <div class="k">{{ t('wfm.fc.mape') }}</div>
          <div class="v">{{ pct(res.accuracy.mape) }}</div>
          <div class="s">{{ t('wfm.fc.mapeNote', { n: res.accuracy.intervals }) }}</div>
        </div>
        <div class="wfm-card">
          <div class="k">{{ t('wfm.fc.modelUsed') }}</div>
          <div class="v small">{{ t('wfm.fc.model.' + res.model) }}</div>
          <div class="s">α {{ res.params.alpha.toFixed(2) }} · β {{ res.params.beta.toFixed(2) }} · γ {{ res.params.gamma.toFixed(2) }}</div>
        </div>
        <div class="wfm-card">
          <div class="k">{{ t('wfm.fc.historyUsed') }}</div>
          <div class="v">{{ res.history_weeks }}</div>
          <div class="s">{{ t('wfm.fc.historyFrom', { d: ymd(res.history_from_ms) }) }}</div>
        </div>
        <div class="wfm-card">
          <div class="k">{{ t('wfm.fc.totalCalls') }}</div>
          <div class="v">{{ Math.round(summary.calls) }}</div>
          <div class="s">{{ t('wfm.fc.target', { sl: pct(res.target.service_level), s: res.target.sl_time_s, sh: pct(res.target.shrinkage) }) }}</div>
        </div>
        <div class="wfm-card">
          <div class="k">{{ t('wfm.fc.peak') }}</div>
          <div class="v">{{ summary.peak }}</div>
          <div class="s">{{ t('wfm.fc.hours', { h: summary.hours.toFixed(1) }) }}</div>
        </div>
      </div>
      <el-card shadow="never" class="wfm-chart-card"><div ref="fcEl" class="wfm-chart wfm-chart-fc"></div></el-card>
      <div class="wfm-two">
        <el-card shadow="never" class="wfm-chart-card"><div class="wfm-sub wfm-held-title">{{ t('wfm.fc.heldTitle', { mape: pct(res.accuracy.mape) }) }}</div><div ref="heldEl" class="wfm-chart wfm-chart-held"></div></el-card>
        <el-card shadow="never" class="wfm-chart-card"><div class="wfm-sub">{{ t('wfm.fc.ahtTitle') }}</div><div ref="ahtEl" class="wfm-chart wfm-chart-aht"></div></el-card>
      </div>
      <el-table :data="days" class="wfm-days" size="small" border>
        <el-table-column :label="t('wfm.date')" min-width="110"><template #default="s">{{ ymd(s.row.day) }} {{ weekday(s.row.day) }}</template></el-table-column>
        <el-table-column :label="t('wfm.fc.calls')" min-width="90" align="right"><template #default="s">{{ Math.round(s.row.calls) }}</template></el-table-column>
        <el-table-column :label="t('wfm.fc.aht')" min-width="80" align="right"><template #default="s">{{ clock(s.row.aht) }}</template></el-table-column>
        <el-table-column :label="t('wfm.fc.peakCalls')" min-width="100" align="right"><template #default="s">{{ s.row.peakCalls.toFixed(1) }}</template></el-table-column>
        <el-table-column :label="t('wfm.fc.peakAgents')" prop="peakAgents" min-width="100" align="right" />
        <el-table-column :label="t('wfm.fc.peakSched')" prop="peakSched" min-width="100" align="right" />
        <el-table-column :label="t('wfm.fc.agentHours')" min-width="110" align="right"><template #default="s">{{ s.row.hours.toFixed(1) }}</template></el-table-column>
        <el-table-column :label="t('wfm.fc.minSl')" min-width="100" align="right"><template #default="s">{{ pct(s.row.minSl) }}</template></el-table-column>
      </el-table>
    </template>
  </div>`,
};
