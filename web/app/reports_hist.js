// reports_hist: 直方图 — the distribution of a measure Hotline stores (a
// call's handle, wait or talk time, an evaluation's QA score, a work
// order's handling time) over a period, with the bins adjustable, mean and
// standard deviation, specification limits, and the training deck's six
// shapes: which one this is, its feature and what the deck says to do.
// Stratified by queue, agent or hour, each group gets its own small
// histogram and shape — the deck's answer to a bimodal one.
import { ref, computed, onMounted, onUnmounted, nextTick } from 'vue';
import { ElMessage } from 'element-plus';
import * as echarts from 'echarts';
import { t, lang } from './i18n.js';
import { get } from './api.js';
import { expose, saveUrl, download, reason } from './reports_fmt.js';

const DAY = 86400000;
const MEASURES = ['aht', 'wait', 'talk', 'qa_score', 'wo_handle'];
const BYS = ['none', 'queue', 'agent', 'hour'];
const SHAPE_COLOR = { normal: '#67c23a' };

const num = v => (v == null || isNaN(v) ? '—' : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));

// The bars from lo to hi (the bins are [lo, hi), not categories), the
// normal curve of the same mean and sd scaled to the counts, and the mean
// and specification limits as lines.
function histOption(h, { small = false, lsl = null, usl = null } = {}) {
  const bins = h.bins, n = bins.reduce((s, b) => s + b.count, 0);
  const width = bins.length ? bins[0].hi - bins[0].lo : 1;
  let lo = bins[0].lo, hi = bins[bins.length - 1].hi;
  if (lsl != null) lo = Math.min(lo, lsl - width);
  if (usl != null) hi = Math.max(hi, usl + width);
  const curve = [];
  for (let i = 0; i <= 60 && h.sd > 0; i++) {
    const x = lo + ((hi - lo) * i) / 60, z = (x - h.mean) / h.sd;
    curve.push([x, (n * width * Math.exp(-z * z / 2)) / (h.sd * Math.sqrt(2 * Math.PI))]);
  }
  const color = SHAPE_COLOR[h.shape] ? '#409eff' : '#e6a23c';
  const lines = [{ xAxis: h.mean, lineStyle: { color: '#303133', width: 1.5 },
    label: { formatter: small ? 'x̄' : `x̄ ${num(h.mean)}`, fontSize: 11 } }];
  for (const [v, name] of [[lsl, 'LSL'], [usl, 'USL']])
    if (v != null) lines.push({ xAxis: v, lineStyle: { color: '#f56c6c', type: 'dashed', width: 1.5 },
      label: { formatter: `${name} ${num(v)}`, fontSize: 11 } });
  return {
    animation: false,
    grid: small ? { left: 36, right: 10, top: 14, bottom: 22 } : { left: 52, right: 24, top: 30, bottom: 36 },
    tooltip: small ? undefined : { trigger: 'item', formatter: p => (p.seriesIndex === 0
      ? `[${num(p.value[0])}, ${num(p.value[1])})<br>${t('hist.count')}: ${p.value[2]}` : '') },
    xAxis: { type: 'value', min: lo, max: hi, scale: true, axisLabel: { fontSize: small ? 9 : 12, hideOverlap: true },
      splitLine: { show: false } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: small ? 9 : 12 } },
    series: [{
      type: 'custom', name: t('hist.count'),
      data: bins.map(b => [b.lo, b.hi, b.count]),
      encode: { x: [0, 1], y: 2 },
      renderItem: (params, api) => {
        const p0 = api.coord([api.value(0), api.value(2)]), p1 = api.coord([api.value(1), 0]);
        return { type: 'rect', shape: { x: p0[0], y: p0[1], width: Math.max(1, p1[0] - p0[0] - 1), height: p1[1] - p0[1] },
          style: { fill: color, stroke: '#fff' } };
      },
    }, {
      type: 'line', data: curve, smooth: true, symbol: 'none', silent: true,
      lineStyle: { color: '#909399', width: 1.2, type: 'dotted' },
      markLine: { silent: true, symbol: 'none', data: lines },
    }],
  };
}

export default {
  setup() {
    let shown = null;   // the query of what is shown, for its files
    const today = new Date(); today.setHours(0, 0, 0, 0);
    const form = ref({ measure: 'talk', range: [new Date(today.getTime() - 29 * DAY), today], scope: 'all',
      queue: '', agent: '', auto: true, bins: 20, lsl: null, usl: null, by: 'none' });
    const queues = ref([]), agents = ref([]);
    const h = ref(null), loading = ref(false), why = ref('');
    const el = ref(null);
    let ec = null;
    const small = {};
    const setSmall = i => e => { if (e) small[i] = e; else delete small[i]; };
    const disposeSmall = () => Object.values(small).forEach(c => {
      const inst = echarts.getInstanceByDom(c);
      if (inst) inst.dispose();
    });

    const unit = computed(() => (h.value ? t('hist.unit.' + h.value.unit) : ''));
    const advice = computed(() => (h.value ? (lang.value === 'en' ? h.value.advice_en : h.value.advice) : ''));

    const draw = async () => {
      await nextTick();
      if (!h.value || !el.value) return;
      if (!ec) { ec = echarts.init(el.value); expose('hist', ec); }
      ec.setOption(histOption(h.value, { lsl: form.value.lsl, usl: form.value.usl }), true);
      (h.value.strata || []).forEach((s, i) => {
        if (!s.bins || !small[i]) return;
        const c = echarts.init(small[i]);
        expose('hist-' + s.group, c);
        c.setOption(histOption(s, { small: true }), true);
      });
    };

    const load = async () => {
      const f = form.value;
      if (!f.range || !f.range[0]) return;
      const q = new URLSearchParams({ measure: f.measure, from: f.range[0].toISOString(),
        to: new Date(f.range[1].getTime() + DAY).toISOString(), tz: String(-new Date().getTimezoneOffset()) });
      if (f.scope === 'queue' && f.queue) q.set('queue', f.queue);
      if (f.scope === 'agent' && f.agent) q.set('agent', f.agent);
      if (!f.auto) q.set('bins', String(f.bins));
      if (f.lsl != null && f.lsl !== '') q.set('lsl', String(f.lsl));
      if (f.usl != null && f.usl !== '') q.set('usl', String(f.usl));
      if (f.by !== 'none') q.set('by', f.by);
      loading.value = true;
      why.value = '';
      disposeSmall();
      try {
        h.value = await get('/api/v1/reports/histogram?' + q);
        shown = q;
        await draw();
      } catch (e) {
        h.value = null;
        why.value = reason(e);
        if (ec) ec.clear();
      } finally { loading.value = false; }
    };

    const png = () => ec && saveUrl(ec.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }),
      `histogram-${form.value.measure}.png`);
    const resize = () => ec && ec.resize();
    onMounted(async () => {
      window.addEventListener('resize', resize);
      try {
        const [q, a] = await Promise.all([get('/api/v1/queue-config'), get('/api/v1/agents')]);
        queues.value = q.items.map(x => x.name);
        agents.value = a.items.map(x => x.ext);
      } catch (e) { ElMessage.error(e.message); }
      load();
    });
    onUnmounted(() => {
      window.removeEventListener('resize', resize);
      if (ec) ec.dispose();
      disposeSmall();
    });
    // The histogram shown, as a file: its bins, then each stratum's.
    const file = async format => {
      if (!shown) return;
      try {
        await download(`/api/v1/reports/histogram?${shown}&format=${format}`,
          `histogram-${form.value.measure}.${format}`);
      } catch (e) { ElMessage.error(reason(e)); }
    };
    return { form, queues, agents, h, loading, why, el, unit, advice, setSmall, load, png, file, t, num, MEASURES, BYS };
  },
  template: `
  <div class="hist-page">
    <el-form inline class="report-bar" @submit.prevent="load">
      <el-form-item :label="t('hist.measure')">
        <el-select v-model="form.measure" class="hist-measure" style="width: 170px" @change="load">
          <el-option v-for="m in MEASURES" :key="m" :value="m" :label="t('hist.m.' + m)" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('spc.period')">
        <el-date-picker v-model="form.range" type="daterange" unlink-panels :clearable="false" style="width: 240px" @change="load" />
      </el-form-item>
      <el-form-item :label="t('spc.scope')">
        <el-select v-model="form.scope" style="width: 96px" @change="load">
          <el-option value="all" :label="t('spc.all')" />
          <el-option value="queue" :label="t('spc.queue')" />
          <el-option value="agent" :label="t('spc.agent')" />
        </el-select>
        <el-select v-if="form.scope === 'queue'" v-model="form.queue" style="width: 120px; margin-left: 6px" @change="load">
          <el-option v-for="q in queues" :key="q" :value="q" :label="q" />
        </el-select>
        <el-select v-if="form.scope === 'agent'" v-model="form.agent" filterable style="width: 110px; margin-left: 6px" @change="load">
          <el-option v-for="a in agents" :key="a" :value="a" :label="a" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('hist.bins')">
        <el-checkbox v-model="form.auto" class="hist-auto" @change="load">{{ t('hist.auto') }}</el-checkbox>
        <el-input-number v-if="!form.auto" v-model="form.bins" :min="5" :max="100" size="small" class="hist-bins"
                         style="margin-left: 8px; width: 110px" @change="load" />
      </el-form-item>
      <el-form-item :label="t('hist.lsl')">
        <el-input-number v-model="form.lsl" :controls="false" size="small" style="width: 80px" @change="load" />
      </el-form-item>
      <el-form-item :label="t('hist.usl')">
        <el-input-number v-model="form.usl" :controls="false" size="small" style="width: 80px" @change="load" />
      </el-form-item>
      <el-form-item :label="t('hist.by')">
        <el-select v-model="form.by" class="hist-by" style="width: 110px" @change="load">
          <el-option v-for="b in BYS" :key="b" :value="b" :label="t('hist.by.' + b)" />
        </el-select>
      </el-form-item>
      <el-form-item>
        <el-button class="hist-png" :disabled="!h" @click="png">PNG</el-button>
        <el-button class="hist-csv" :disabled="!h" @click="file('csv')">CSV</el-button>
        <el-button class="hist-xlsx" :disabled="!h" @click="file('xlsx')">XLSX</el-button>
      </el-form-item>
    </el-form>

    <el-alert v-if="why" type="warning" :closable="false" show-icon class="spc-why" :title="why" />
    <el-row :gutter="12" v-loading="loading">
      <el-col :span="17">
        <el-card shadow="never">
          <template #header><b>{{ t('hist.m.' + form.measure) }}</b>
            <span v-if="h" class="spc-kind" style="margin-left: 10px">{{ t('hist.n') }} {{ h.count }} · {{ unit }}</span></template>
          <div ref="el" class="hist-chart"></div>
        </el-card>
      </el-col>
      <el-col :span="7">
        <el-card shadow="never" v-if="h" class="hist-verdict">
          <template #header><b>{{ t('hist.shape') }}</b></template>
          <div class="hist-shape" :class="h.shape === 'normal' ? 'good' : 'bad'" :data-shape="h.shape">
            {{ t('hist.shape.' + h.shape) }}</div>
          <div class="hist-advice"><b>{{ t('hist.feature') }}:</b> {{ h.feature }}</div>
          <div class="hist-advice"><b>{{ t('hist.advice') }}:</b> {{ advice }}</div>
          <div class="hist-figs">
            <div>{{ t('hist.n') }}<br><b>{{ h.count }}</b></div>
            <div>{{ t('hist.mean') }}<br><b class="hist-mean">{{ num(h.mean) }}</b> {{ unit }}</div>
            <div>{{ t('hist.sd') }}<br><b>{{ num(h.sd) }}</b> {{ unit }}</div>
            <div>{{ t('hist.skew') }}<br><b>{{ num(h.skewness) }}</b></div>
            <div>{{ t('hist.rule') }}<br><b style="font-size: 13px">{{ t('hist.rule.' + h.bin_rule) }} · {{ h.bins.length }}</b></div>
            <template v-if="h.spec">
              <div>{{ t('hist.below') }} / {{ t('hist.above') }}<br><b>{{ h.spec.below_lsl }} / {{ h.spec.above_usl }}</b></div>
              <div>Cp<br><b>{{ num(h.spec.cp) }}</b></div>
              <div>Cpk<br><b>{{ num(h.spec.cpk) }}</b></div>
            </template>
          </div>
        </el-card>
      </el-col>
    </el-row>
    <template v-if="h && h.strata">
      <div class="section-title">{{ t('hist.strata') }} · {{ t('hist.by.' + form.by) }}</div>
      <div class="hist-multi">
        <el-card v-for="(s, i) in h.strata" :key="s.group" shadow="never" class="hist-stratum" :data-group="s.group">
          <template #header>
            <b>{{ s.group }}</b>
            <el-tag v-if="s.shape" size="small" :type="s.shape === 'normal' ? 'success' : 'warning'" effect="dark"
                    style="margin-left: 8px" class="stratum-shape">{{ t('hist.shape.' + s.shape) }}</el-tag>
            <span class="spc-kind" style="float: right">n {{ s.count }}<template v-if="s.mean != null"> · x̄ {{ num(s.mean) }} · s {{ num(s.sd) }}</template></span>
          </template>
          <div v-if="s.bins" :ref="setSmall(i)" class="hist-small"></div>
          <div v-else class="muted">{{ t('hist.tooFew') }}</div>
        </el-card>
      </div>
    </template>
  </div>`,
};
