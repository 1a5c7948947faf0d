// reports_spc_qa: 控制图's 质检评分 tab — QA scores (监听分值) as an X̄-R
// (or X̄-S) chart, the deck's chart for sampled scores: a subgroup a day
// or a week, its first n evaluations (GET /api/v1/reports/spc/qa), for
// the center, a team, an agent or a scorecard, with the rules named as on
// the KPI tab, the subgroups left out (fewer than n) and 监听分值's 监控措施.
// Exports: the picture (PNG) and the subgroups with their limits and
// signals (CSV, Excel: the server's, from the same answer). Quality
// inspectors (qa) read it as supervisors do.
import { ref, computed, onMounted, onUnmounted } from 'vue';
import { ElMessage } from 'element-plus';
import * as echarts from 'echarts';
import { t } from './i18n.js';
import { get } from './api.js';
import { expose, spcOption, saveUrl, download, isoDay, reason, loadChart, signalText } from './reports_fmt.js';

const DAY = 86400000;
const RULESETS = ['deck', 'western-electric', 'nelson'];
const p2 = n => String(n).padStart(2, '0');
// A subgroup's label: its first day, in the browser's zone (the query's tz).
const label = ms => { const d = new Date(ms); return `${p2(d.getMonth() + 1)}-${p2(d.getDate())}`; };

export default {
  setup() {
    const today = new Date(); today.setHours(0, 0, 0, 0);
    const form = ref({ subgroup: 'week', n: 0, chart: 'xbar-r', rules: 'deck', team: '', agent: '', scorecard: '',
      range: [new Date(today.getTime() - 26 * 7 * DAY), today] });
    const teams = ref([]), agents = ref([]), cards = ref([]);
    const chart = ref(null), loading = ref(false), why = ref('');
    const el = ref(null);
    let ec = null;
    const labels = computed(() => (chart.value ? chart.value.start_ms.map(label) : []));

    const params = format => {
      const f = form.value, q = new URLSearchParams({ subgroup: f.subgroup, chart: f.chart, rules: f.rules,
        tz: String(-new Date().getTimezoneOffset()) });
      if (f.n) q.set('n', String(f.n));
      for (const k of ['team', 'agent', 'scorecard']) if (f[k]) q.set(k, f[k]);
      q.set('from', f.range[0].toISOString());
      q.set('to', new Date(f.range[1].getTime() + DAY).toISOString());
      if (format) q.set('format', format);
      return '/api/v1/reports/spc/qa?' + q;
    };
    const draw = () => {
      if (!el.value || !chart.value) return;
      if (!ec) { ec = echarts.init(el.value); expose('spcQa', ec); }
      ec.setOption(spcOption(chart.value, labels.value, 'points'), true);
    };
    const load = () => loadChart({ chart, loading, why }, () => get(params()), draw, () => ec && ec.clear());
    const setSubgroup = () => {
      const end = form.value.range[1];
      form.value.range = [new Date(end.getTime() - (form.value.subgroup === 'day' ? 30 : 26 * 7) * DAY), end];
      load();
    };
    const name = () => `spc-qa-${form.value.subgroup}-${isoDay(form.value.range[0])}`;
    const png = () => ec && saveUrl(ec.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }),
      name() + '.png');
    const file = async format => {
      try { await download(params(format), `${name()}.${format}`); }
      catch (e) { ElMessage.error(reason(e)); }
    };
    const signals = computed(() => (chart.value ? chart.value.signals.map(s => ({
      ...s, when: s.points.map(i => labels.value[i]).join(', ') })) : []));
    const skipped = computed(() => (chart.value ? chart.value.skipped.map(s => `${label(s.start_ms)} (${s.evaluations})`) : []));
    const resize = () => ec && ec.resize();
    onMounted(async () => {
      window.addEventListener('resize', resize);
      const [tm, ag, sc] = await Promise.all([get('/api/v1/qa/teams'), get('/api/v1/agents'),
        get('/api/v1/qa/scorecards')].map(x => x.catch(() => ({ items: [] }))));
      teams.value = tm.items || [];
      agents.value = (ag.items || []).map(x => x.ext);
      cards.value = sc.items || [];
      load();
    });
    onUnmounted(() => { window.removeEventListener('resize', resize); if (ec) ec.dispose(); });
    return { signalText, form, teams, agents, cards, chart, loading, why, el, signals, skipped, load, setSubgroup, png, file, t,
      RULESETS };
  },
  template: `
  <div class="spc-qa">
    <el-form inline class="report-bar" @submit.prevent="load">
      <el-form-item :label="t('spcqa.subgroup')">
        <el-radio-group v-model="form.subgroup" class="spcqa-subgroup" @change="setSubgroup">
          <el-radio-button value="day">{{ t('spcqa.day') }}</el-radio-button>
          <el-radio-button value="week">{{ t('spcqa.week') }}</el-radio-button>
        </el-radio-group>
      </el-form-item>
      <el-form-item :label="t('spcqa.n')">
        <el-select v-model="form.n" class="spcqa-n" style="width: 96px" @change="load">
          <el-option :value="0" :label="t('spcqa.nAuto')" />
          <el-option v-for="k in 9" :key="k" :value="k + 1" :label="String(k + 1)" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('spcqa.chart')">
        <el-select v-model="form.chart" class="spcqa-chart" style="width: 150px" @change="load">
          <el-option value="xbar-r" :label="t('spc.kind.xbar-r')" />
          <el-option value="xbar-s" :label="t('spc.kind.xbar-s')" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('spcqa.team')">
        <el-select v-model="form.team" clearable style="width: 120px" @change="load">
          <el-option v-for="d in teams" :key="d.id" :value="d.id" :label="d.name" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('spc.agent')">
        <el-select v-model="form.agent" clearable filterable class="spcqa-agent" style="width: 100px" @change="load">
          <el-option v-for="a in agents" :key="a" :value="a" :label="a" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('spcqa.scorecard')">
        <el-select v-model="form.scorecard" clearable style="width: 140px" @change="load">
          <el-option v-for="c in cards" :key="c.id" :value="c.id" :label="c.name" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('spc.period')">
        <el-date-picker v-model="form.range" type="daterange" unlink-panels :clearable="false" style="width: 240px" @change="load" />
      </el-form-item>
      <el-form-item :label="t('spc.ruleset')">
        <el-select v-model="form.rules" style="width: 170px" @change="load">
          <el-option v-for="r in RULESETS" :key="r" :value="r" :label="t('spc.rs.' + r)" />
        </el-select>
      </el-form-item>
      <el-form-item>
        <el-button type="primary" @click="load">{{ t('spc.draw') }}</el-button>
        <el-button class="spcqa-png" :disabled="!chart" @click="png">PNG</el-button>
        <el-button class="spcqa-csv" :disabled="!chart" @click="file('csv')">CSV</el-button>
        <el-button class="spcqa-xlsx" :disabled="!chart" @click="file('xlsx')">Excel</el-button>
      </el-form-item>
    </el-form>
    <el-alert v-if="why" type="warning" :closable="false" show-icon class="spcqa-why" :title="why" />
    <el-row :gutter="12" v-loading="loading">
      <el-col :span="17">
        <el-card shadow="never" class="spc-card">
          <template #header>
            <div class="spc-head">
              <b>{{ t('spcqa.title') }}</b>
              <span v-if="chart" class="spc-kind">{{ t('spc.kind.' + chart.chart) }} · n = {{ chart.n }} · {{ t('spc.rs.' + chart.rules) }}</span>
              <span class="spacer"></span>
              <template v-if="chart">
                <span class="spc-fig">X̿ <b>{{ chart.center.toFixed(2) }}</b></span>
                <span class="spc-fig">UCL <b>{{ chart.ucl.toFixed(2) }}</b></span>
                <span class="spc-fig">LCL <b>{{ chart.lcl.toFixed(2) }}</b></span>
              </template>
            </div>
          </template>
          <div ref="el" class="spc-chart"></div>
          <div v-if="skipped.length" class="spcqa-skipped muted">{{ t('spcqa.skipped', { n: chart.n }) }} {{ skipped.join('、') }}</div>
        </el-card>
      </el-col>
      <el-col :span="7">
        <el-card shadow="never" class="spc-signals">
          <template #header><b>{{ t('spc.signals') }}</b>
            <el-tag v-if="chart" :type="signals.length ? 'danger' : 'success'" effect="dark" size="small" class="spcqa-count">
              {{ signals.length ? t('spc.nsignals', { n: signals.length }) : t('spc.inControl') }}</el-tag>
          </template>
          <div v-if="chart && !signals.length" class="spc-calm">{{ t('spc.calm') }}</div>
          <div v-for="(s, i) in signals" :key="i" class="spc-signal spcqa-signal" :data-rule="s.rule">
            <el-tag type="danger" effect="dark" size="small" class="rule">{{ s.rule }}</el-tag>
            <div class="what">{{ signalText(s.text) }}<div class="when">{{ s.when }}</div></div>
          </div>
        </el-card>
        <el-card shadow="never" class="spc-checks">
          <template #header><b>{{ t('spc.checks') }}</b></template>
          <ol v-if="chart && chart.checks"><li v-for="(c, i) in chart.checks.items" :key="i">{{ c }}</li></ol>
        </el-card>
      </el-col>
    </el-row>
  </div>`,
};
