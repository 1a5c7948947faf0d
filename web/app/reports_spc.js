// reports_spc: 控制图 — a KPI's series by 15 minutes, hour, day or week,
// for the center, a queue or an agent, charted with limits from a chosen
// baseline period and the deck's rules ("6 8 1 3 5"), Western Electric's
// or Nelson's; beside it each signal with its rule and the KPI's 监控措施
// from the reference, the things to check when a signal shows. Exports:
// the picture (PNG) and the points with limits and signals (CSV, Excel,
// made by the server from the same answer).
import { ref, computed, onMounted, onUnmounted } from 'vue';
import { ElMessage } from 'element-plus';
import * as echarts from 'echarts';
import { t } from './i18n.js';
import { get, session } from './api.js';
import { kpiDefs, kpiName, fmtKpi, download, saveUrl, expose, intervalLabel, spcOption,
  isoDay, reason, loadChart, signalText } from './reports_fmt.js';
import SpcQa from './reports_spc_qa.js';

const DAY = 86400000;
// Each interval with the period it opens with: enough points for the
// rules to speak, few enough to read (and within the API's 10,000).
const INTERVALS = [['15m', 7], ['1h', 21], ['1d', 42], ['1w', 26 * 7]];
const RULESETS = ['deck', 'western-electric', 'nelson'];

// The state the page opens with can come from the hash, so the daily
// summary can link to a chart: #/spc?kpi=asa&queue=sales&interval=1d
// (and a baseline: &bfrom=2026-11-01&bto=2026-11-30, days).
function fromHash() {
  const q = location.hash.split('?')[1];
  return new URLSearchParams(q || '');
}

export default {
  components: { SpcQa },
  setup() {
    const h = fromHash();
    // The KPI charts are supervisors' and admins' (the KPI report's data
    // scope); quality inspectors read the QA scores' tab only.
    const kpiOk = ['supervisor', 'admin'].includes(session.user && session.user.role);
    // #/spc?tab=qa opens the QA scores' X̄-R chart.
    const tab = ref(h.get('tab') === 'qa' || !kpiOk ? 'qa' : 'kpi');
    const defs = ref([]);
    const queues = ref([]), agents = ref([]);
    const today = new Date(); today.setHours(0, 0, 0, 0);
    const form = ref({
      kpi: h.get('kpi') || 'service_level',
      interval: h.get('interval') || '1d',
      scope: h.get('agent') ? 'agent' : h.get('queue') ? 'queue' : 'all',
      queue: h.get('queue') || '', agent: h.get('agent') || '',
      range: [new Date(today.getTime() - (INTERVALS.find(i => i[0] === (h.get('interval') || '1d')) || [0, 42])[1] * DAY),
        today],
      baseline: h.get('bfrom') && h.get('bto')
        ? [new Date(h.get('bfrom') + 'T00:00:00'), new Date(h.get('bto') + 'T00:00:00')] : null,
      rules: h.get('rules') || 'deck',
    });
    const chart = ref(null), loading = ref(false), why = ref('');
    const el = ref(null);
    let ec = null;

    const def = computed(() => defs.value.find(d => d.id === form.value.kpi));
    const target = ref(null);
    const labels = computed(() => (chart.value ? chart.value.start_ms.map(ms =>
      intervalLabel(ms, chart.value.interval_ms)) : []));

    const params = format => {
      const f = form.value, q = new URLSearchParams({ kpi: f.kpi, interval: f.interval, rules: f.rules });
      if (f.scope === 'queue' && f.queue) q.set('queue', f.queue);
      if (f.scope === 'agent' && f.agent) q.set('agent', f.agent);
      // The end of the period is the end of its last day.
      q.set('from', f.range[0].toISOString());
      q.set('to', new Date(f.range[1].getTime() + DAY).toISOString());
      if (f.baseline && f.baseline[0]) {
        q.set('baseline_from', f.baseline[0].toISOString());
        q.set('baseline_to', new Date(f.baseline[1].getTime() + DAY).toISOString());
      }
      if (format) q.set('format', format);
      return '/api/v1/reports/spc?' + q;
    };

    // The first and last point of the baseline, to shade it.
    const baselineIdx = c => {
      const b = form.value.baseline;
      if (!b || !b[0]) return null;
      const lo = b[0].getTime(), hi = b[1].getTime() + DAY;
      const idx = c.start_ms.map((ms, i) => (ms >= lo && ms < hi ? i : -1)).filter(i => i >= 0);
      return idx.length ? [idx[0], idx[idx.length - 1]] : null;
    };

    const draw = () => {
      if (!el.value || !chart.value) return;
      if (!ec) {
        ec = echarts.init(el.value);
        expose('spc', ec);
      }
      ec.setOption(spcOption(chart.value, labels.value, def.value && def.value.unit,
        { baseline: baselineIdx(chart.value), target: target.value }), true);
    };

    const load = async () => {
      if (!form.value.range || !form.value.range[0]) return;
      await loadChart({ chart, loading, why }, async () => {
        const c = await get(params());
        // The target drawn is the one in force for the queue charted.
        const f = form.value;
        target.value = (await kpiDefs(f.scope === 'queue' && f.queue ? f.queue : ''))
          .find(d => d.id === f.kpi) || null;
        return c;
      }, draw, () => ec && ec.clear());
    };

    // A new interval opens on its own period, ending where the old one did.
    const setInterval_ = () => {
      const days = INTERVALS.find(i => i[0] === form.value.interval)[1];
      const end = form.value.range[1];
      form.value.range = [new Date(end.getTime() - days * DAY), end];
      load();
    };

    const name = () => `spc-${form.value.kpi}-${isoDay(form.value.range[0])}`;
    const png = () => {
      if (!ec) return;
      saveUrl(ec.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }), name() + '.png');
    };
    const file = async format => {
      try { await download(params(format), `${name()}.${format}`); }
      catch (e) { ElMessage.error(reason(e)); }
    };

    // Each signal with the intervals it is made of.
    const signals = computed(() => (chart.value ? chart.value.signals.map(s => ({
      ...s,
      when: s.points.length > 2
        ? `${labels.value[s.points[0]]} – ${labels.value[s.points[s.points.length - 1]]}`
        : s.points.map(i => labels.value[i]).join(', '),
    })) : []));
    const unit = computed(() => def.value && def.value.unit);
    // A signal clicked: its points lit on the chart, the last one's tip shown.
    const point = s => {
      if (!ec) return;
      ec.dispatchAction({ type: 'downplay', seriesIndex: 0 });
      ec.dispatchAction({ type: 'highlight', seriesIndex: 0, dataIndex: s.points });
      ec.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: s.points[s.points.length - 1] });
    };
    const resize = () => ec && ec.resize();

    onMounted(async () => {
      window.addEventListener('resize', resize);
      if (!kpiOk) return;
      try {
        const [d, q, a] = await Promise.all([kpiDefs(), get('/api/v1/queue-config'), get('/api/v1/agents')]);
        defs.value = d.filter(x => x.computed);
        queues.value = q.items.map(x => x.name);
        agents.value = a.items.map(x => x.ext);
      } catch (e) { ElMessage.error(e.message); }
      load();
    });
    onUnmounted(() => {
      window.removeEventListener('resize', resize);
      if (ec) ec.dispose();
    });
    return { signalText, tab, kpiOk, form, defs, queues, agents, chart, loading, why, el, def, signals, unit, load, setInterval_, png, file, point,
      t, kpiName, fmtKpi, INTERVALS, RULESETS };
  },
  template: `
  <div class="spc-page">
   <el-tabs v-model="tab" class="spc-tabs">
   <el-tab-pane v-if="kpiOk" :label="t('spc.tabKpi')" name="kpi">
    <el-form inline class="report-bar" @submit.prevent="load">
      <el-form-item :label="t('spc.kpi')">
        <el-select v-model="form.kpi" class="spc-kpi" filterable style="width: 190px" @change="load">
          <el-option v-for="d in defs" :key="d.id" :value="d.id" :label="kpiName(d)" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('spc.interval')">
        <el-radio-group v-model="form.interval" class="spc-interval" @change="setInterval_">
          <el-radio-button v-for="i in INTERVALS" :key="i[0]" :value="i[0]">{{ t('spc.iv.' + i[0]) }}</el-radio-button>
        </el-radio-group>
      </el-form-item>
      <el-form-item :label="t('spc.scope')">
        <el-select v-model="form.scope" style="width: 96px" @change="load">
          <el-option value="all" :label="t('spc.all')" />
          <el-option value="queue" :label="t('spc.queue')" />
          <el-option value="agent" :label="t('spc.agent')" />
        </el-select>
        <el-select v-if="form.scope === 'queue'" v-model="form.queue" class="spc-queue" style="width: 120px; margin-left: 6px" @change="load">
          <el-option v-for="q in queues" :key="q" :value="q" :label="q" />
        </el-select>
        <el-select v-if="form.scope === 'agent'" v-model="form.agent" filterable style="width: 110px; margin-left: 6px" @change="load">
          <el-option v-for="a in agents" :key="a" :value="a" :label="a" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('spc.period')">
        <el-date-picker v-model="form.range" type="daterange" unlink-panels :clearable="false" style="width: 240px" @change="load" />
      </el-form-item>
      <el-form-item :label="t('spc.baseline')">
        <el-date-picker v-model="form.baseline" type="daterange" unlink-panels style="width: 240px"
                        :start-placeholder="t('spc.baselineAll')" :end-placeholder="t('spc.baselineAll')" @change="load" />
      </el-form-item>
      <el-form-item :label="t('spc.ruleset')">
        <el-select v-model="form.rules" class="spc-rules" style="width: 170px" @change="load">
          <el-option v-for="r in RULESETS" :key="r" :value="r" :label="t('spc.rs.' + r)" />
        </el-select>
      </el-form-item>
      <el-form-item>
        <el-button type="primary" @click="load">{{ t('spc.draw') }}</el-button>
        <el-button class="spc-png" :disabled="!chart" @click="png">PNG</el-button>
        <el-button class="spc-csv" :disabled="!chart" @click="file('csv')">CSV</el-button>
        <el-button class="spc-xlsx" :disabled="!chart" @click="file('xlsx')">Excel</el-button>
      </el-form-item>
    </el-form>

    <el-alert v-if="why" type="warning" :closable="false" show-icon class="spc-why" :title="why" />
    <el-row :gutter="12" v-loading="loading">
      <el-col :span="17">
        <el-card shadow="never" class="spc-card">
          <template #header>
            <div class="spc-head">
              <b>{{ kpiName(def) }}</b>
              <span v-if="chart" class="spc-kind">{{ t('spc.kind.' + chart.chart) }} · {{ t('spc.rs.' + chart.rules) }}</span>
              <span class="spacer"></span>
              <template v-if="chart">
                <span class="spc-fig">CL <b>{{ fmtKpi(chart.center, unit) }}</b></span>
                <span class="spc-fig">UCL <b>{{ fmtKpi(chart.ucl, unit) }}</b></span>
                <span class="spc-fig">LCL <b>{{ fmtKpi(chart.lcl, unit) }}</b></span>
                <span class="spc-fig">{{ t('spc.npoints') }} <b>{{ chart.points.length }}</b></span>
              </template>
            </div>
          </template>
          <div ref="el" class="spc-chart"></div>
          <div class="spc-legend">
            <span class="z z3"></span>{{ t('spc.zone3') }}
            <span class="z z2"></span>{{ t('spc.zone2') }}
            <span class="z z1"></span>{{ t('spc.zone1') }}
            <span class="dot"></span>{{ t('spc.flagged') }}
          </div>
        </el-card>
      </el-col>
      <el-col :span="7">
        <el-card shadow="never" class="spc-signals">
          <template #header><b>{{ t('spc.signals') }}</b>
            <el-tag v-if="chart" :type="signals.length ? 'danger' : 'success'" effect="dark" size="small" class="spc-count">
              {{ signals.length ? t('spc.nsignals', { n: signals.length }) : t('spc.inControl') }}</el-tag>
          </template>
          <div v-if="chart && !signals.length" class="spc-calm">{{ t('spc.calm') }}</div>
          <div v-for="(s, i) in signals" :key="i" class="spc-signal" :data-rule="s.rule" @click="point(s)">
            <el-tag type="danger" effect="dark" size="small" class="rule">{{ s.rule }}</el-tag>
            <div class="what">{{ signalText(s.text) }}<div class="when">{{ s.when }}</div></div>
          </div>
        </el-card>
        <el-card shadow="never" class="spc-checks">
          <template #header><b>{{ t('spc.checks') }}</b></template>
          <ol v-if="chart && chart.checks && chart.checks.items.length">
            <li v-for="(c, i) in chart.checks.items" :key="i">{{ c }}</li>
          </ol>
          <div v-else class="muted">{{ t('spc.noChecks') }}</div>
        </el-card>
      </el-col>
    </el-row>
   </el-tab-pane>
   <el-tab-pane :label="t('spc.tabQa')" name="qa" lazy>
    <spc-qa />
   </el-tab-pane>
   </el-tabs>
  </div>`,
};
