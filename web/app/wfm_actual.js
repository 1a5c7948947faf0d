// wfm_actual: 计划与实际 — for a day, the agents the shifts planned on duty
// against those signed in and those available (ready, ringing, talking,
// wrap-up) per interval; for a period of up to 31 days, each agent's
// schedule adherence (time available while on duty ÷ time on duty),
// coloured below the target, the agents scheduled and worked per day, and
// the KPIs 出勤率 and 实际工作率 against the reference's targets. With a
// queue picked, the agents its forecast says the day needs (排班需求,
// shrinkage included) are drawn over the plan: where the bars fall short
// of the line, the schedule is short.
import { ref, reactive, computed, onMounted, onUnmounted, nextTick } from 'vue';
import * as echarts from 'echarts';
import { t } from './i18n.js';
import { get, session } from './api.js';
import { pct } from './util.js';
import { DAY_MS, addDays, dayStart, weekStart, iso, hm, ymd, weekday, hours, forecastFrom } from './wfm_days.js';

export default {
  setup() {
    const form = reactive({ day: new Date(dayStart(Date.now())), interval: '30m', agent: '', queue: '', dept: '',
      range: [new Date(weekStart(Date.now())), new Date(dayStart(Date.now()))], target: 90 });
    const staffing = ref(null), adh = ref(null), error = ref(''), adhError = ref(''), loading = ref(false);
    const chartEl = ref(null), queues = ref([]), need = ref(null), needError = ref('');
    let chart = null;

    // The queue's forecast over the day, as the staffing's intervals (the
    // most agents any part of one needs). A past day is the forecast made
    // from its own start; a later one is reached by forecasting weeks on.
    const loadNeed = async () => {
      need.value = null;
      needError.value = '';
      if (!form.queue || !staffing.value) return;
      const d = dayStart(form.day), latest = forecastFrom();
      const from = Math.min(d, latest);
      const weeks = Math.ceil((addDays(d, 1) - from) / (7 * DAY_MS));
      if (weeks > 8) { needError.value = t('wfm.ac.needTooFar'); return; }
      const fiv = form.interval === '15m' ? '15m' : '30m';
      try {
        const r = await get(`/api/v1/wfm/forecast?queue=${encodeURIComponent(form.queue)}&from=${iso(from)}` +
          `&weeks=${weeks}&interval=${fiv}`);
        const iv = staffing.value.interval_ms;
        need.value = staffing.value.rows.map(x => r.rows
          .filter(f => f.start_ms >= x.start_ms && f.start_ms < x.start_ms + iv)
          .reduce((n, f) => Math.max(n, f.scheduled), 0));
      } catch (e) { needError.value = e.message; }
    };

    const draw = () => {
      const r = staffing.value;
      if (!r || !chartEl.value) return;
      if (!chart) {
        chart = echarts.init(chartEl.value);
        (window.echartsInstances = window.echartsInstances || {}).wfm_staffing = chart;
      }
      const fmt = v => (v == null ? '' : v.toFixed(2).replace(/\.?0+$/, ''));
      // What has not happened yet is not drawn as zero.
      const past = (x, k) => (x.start_ms < Date.now() ? x[k] : null);
      chart.setOption({
        animationDuration: 300,
        tooltip: { trigger: 'axis', valueFormatter: fmt },
        legend: { top: 0, right: 8, data: [t('wfm.ac.planned'), t('wfm.ac.signedIn'), t('wfm.ac.available'),
          ...(need.value ? [t('wfm.ac.need')] : [])] },
        grid: { left: 48, right: 24, top: 40, bottom: 32 },
        xAxis: { type: 'category', data: r.rows.map(x => hm(x.start_ms)) },
        yAxis: { type: 'value', name: t('wfm.ac.agentsAxis'), minInterval: 1 },
        series: [
          { name: t('wfm.ac.planned'), type: 'bar', data: r.rows.map(x => x.planned), itemStyle: { color: '#c6e2ff' } },
          { name: t('wfm.ac.signedIn'), type: 'line', step: 'middle', data: r.rows.map(x => past(x, 'signed_in')),
            showSymbol: false, itemStyle: { color: '#e6a23c' } },
          { name: t('wfm.ac.available'), type: 'line', step: 'middle', data: r.rows.map(x => past(x, 'available')),
            showSymbol: false, itemStyle: { color: '#67c23a' }, lineStyle: { width: 2 } },
          ...(need.value ? [{ name: t('wfm.ac.need'), type: 'line', step: 'middle', data: need.value,
            showSymbol: false, itemStyle: { color: '#f56c6c' }, lineStyle: { type: 'dashed', width: 2 } }] : []),
        ],
      }, true);
    };
    const who = () => (form.agent ? '&agent=' + encodeURIComponent(form.agent) : '') +
      (form.dept ? '&department=' + encodeURIComponent(form.dept) : '');
    // A team (一个班组: a department and those below it). Only administrators
    // may list departments; a team lead's data scope is their team anyway.
    const depts = ref([]);
    const loadDepts = async () => {
      if (session.user.role !== 'admin') return;
      try { depts.value = (await get('/api/v1/departments')).items || []; } catch (e) { /* no filter then */ }
    };
    // Today's shifts count whole in the period's figures, the part still to
    // come included: the server judges whole days.
    const coversToday = computed(() => {
      const [a, b] = form.range || [];
      const d = dayStart(Date.now());
      return a && b && dayStart(a) <= d && d <= dayStart(b);
    });
    const loadDay = async () => {
      error.value = '';
      try {
        const d = dayStart(form.day);
        staffing.value = await get(`/api/v1/wfm/staffing?from=${iso(d)}&to=${iso(addDays(d, 1))}` +
          `&interval=${form.interval}${who()}`);
        await loadNeed();
        await nextTick();
        draw();
      } catch (e) { staffing.value = null; error.value = e.message; }
    };
    const loadPeriod = async () => {
      adhError.value = '';
      const [a, b] = form.range || [];
      if (!a || !b) return;
      try {
        adh.value = await get(`/api/v1/wfm/adherence?from=${iso(dayStart(a))}&to=${iso(addDays(b, 1))}${who()}`);
      } catch (e) { adh.value = null; adhError.value = e.message; }
    };
    const load = async () => {
      loading.value = true;
      await Promise.all([loadDay(), loadPeriod()]);
      loading.value = false;
    };
    const dayTotals = computed(() => {
      const r = staffing.value;
      if (!r) return null;
      const h = r.interval_ms / 3600000, sum = k => r.rows.reduce((n, x) => n + x[k] * h, 0);
      return { planned: sum('planned'), signedIn: sum('signed_in'), available: sum('available') };
    });
    const kpis = computed(() => (adh.value ? ['attendance', 'utilization'].map(k => adh.value.kpis[k]) : []));
    const miss = k => k.value != null && k.target_lo != null && k.value < k.target_lo;
    const below = a => a.adherence != null && a.adherence < form.target / 100;
    const rowClass = ({ row }) => (below(row) ? 'wfm-below' : '');
    const resize = () => chart && chart.resize();
    onMounted(async () => {
      window.addEventListener('resize', resize);
      loadDepts();
      try {
        queues.value = ((await get('/api/v1/queues')).items || []).map(q => q.name).sort();
      } catch (e) { /* the plan is shown without a requirement */ }
      load();
    });
    onUnmounted(() => { window.removeEventListener('resize', resize); if (chart) chart.dispose(); });
    return { depts, coversToday, queues, needError, form, staffing, adh, error, adhError, loading, chartEl, load, loadDay, loadPeriod, dayTotals,
      kpis, miss, below, rowClass, t, pct, ymd, weekday, hours };
  },
  template: `
  <div class="wfm-actual">
    <el-form inline class="wfm-form" @submit.prevent="load">
      <el-form-item :label="t('wfm.date')">
        <el-date-picker v-model="form.day" type="date" :clearable="false" class="wfm-ac-day" style="width: 140px" @change="loadDay" />
      </el-form-item>
      <el-form-item :label="t('wfm.fc.interval')">
        <el-radio-group v-model="form.interval" class="wfm-ac-interval" @change="loadDay">
          <el-radio-button value="15m">15 {{ t('wfm.min') }}</el-radio-button>
          <el-radio-button value="30m">30 {{ t('wfm.min') }}</el-radio-button>
          <el-radio-button value="1h">1 {{ t('wfm.hour') }}</el-radio-button>
        </el-radio-group>
      </el-form-item>
      <el-form-item :label="t('wfm.agent')">
        <el-input v-model="form.agent" clearable :placeholder="t('wfm.ac.allAgents')" class="wfm-ac-agent" style="width: 110px" @change="load" />
      </el-form-item>
      <el-form-item v-if="depts.length" :label="t('wfm.ac.team')">
        <el-select v-model="form.dept" clearable filterable :placeholder="t('wfm.ac.allTeams')" class="wfm-ac-dept" style="width: 120px" @change="load">
          <el-option v-for="d in depts" :key="d.id" :value="d.id" :label="d.name" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('wfm.ac.needQueue')">
        <el-select v-model="form.queue" clearable :placeholder="t('wfm.ac.noQueue')" class="wfm-ac-queue" style="width: 120px" @change="loadDay">
          <el-option v-for="q in queues" :key="q" :value="q" :label="q" />
        </el-select>
      </el-form-item>
      <el-form-item>
        <el-button type="primary" native-type="submit" class="wfm-ac-run" :loading="loading">{{ t('wfm.ac.run') }}</el-button>
      </el-form-item>
    </el-form>
    <el-alert v-if="error" type="error" :closable="false" show-icon :title="error" class="wfm-ac-error" />
    <el-alert v-if="needError" type="warning" :closable="false" show-icon :title="t('wfm.ac.noNeed') + ' ' + needError" class="wfm-ac-error wfm-need-error" />
    <el-card v-if="staffing" shadow="never" class="wfm-chart-card">
      <div class="wfm-sub">{{ t('wfm.ac.dayTitle', { d: ymd(form.day) + ' ' + weekday(form.day), n: staffing.agents }) }}
        <span class="wfm-day-sum" v-if="dayTotals">{{ t('wfm.ac.daySum', { p: dayTotals.planned.toFixed(1), s: dayTotals.signedIn.toFixed(1), a: dayTotals.available.toFixed(1) }) }}</span>
      </div>
      <div ref="chartEl" class="wfm-chart wfm-chart-staffing"></div>
    </el-card>

    <el-form inline class="wfm-form wfm-period">
      <el-form-item :label="t('wfm.ac.period')">
        <el-date-picker v-model="form.range" type="daterange" unlink-panels :clearable="false" class="wfm-ac-range"
                        style="width: 260px" @change="loadPeriod" />
      </el-form-item>
      <el-form-item :label="t('wfm.ac.target')">
        <el-input-number v-model="form.target" :min="1" :max="100" class="wfm-ac-target" style="width: 100px" />
        <span class="wfm-unit">%</span>
      </el-form-item>
      <span v-if="coversToday" class="wfm-today-note">{{ t('wfm.ac.todayNote') }}</span>
    </el-form>
    <el-alert v-if="adhError" type="error" :closable="false" show-icon :title="adhError" class="wfm-adh-error" />
    <template v-if="adh">
      <div class="wfm-cards">
        <div v-for="k in kpis" :key="k.id" class="wfm-card" :class="['wfm-kpi-' + k.id, { bad: miss(k), good: k.value != null && !miss(k) }]">
          <div class="k">{{ t('wfm.ac.kpi.' + k.id) }}</div>
          <div class="v">{{ pct(k.value) }}</div>
          <div class="s">{{ t('wfm.ac.kpiTarget', { t: k.target_lo != null ? pct(k.target_lo) : (k.target || '—') }) }}</div>
        </div>
        <div class="wfm-card">
          <div class="k">{{ t('wfm.ac.belowCount') }}</div>
          <div class="v">{{ adh.agents.filter(below).length }} / {{ adh.agents.length }}</div>
          <div class="s">{{ t('wfm.ac.belowNote', { p: form.target }) }}</div>
        </div>
      </div>
      <div class="wfm-two">
        <el-table :data="adh.agents" size="small" border class="wfm-adherence" :row-class-name="rowClass" :empty-text="t('wfm.ac.noShifts')">
          <el-table-column prop="agent" :label="t('wfm.agent')" min-width="70" />
          <el-table-column :label="t('wfm.ac.scheduledH')" min-width="80" align="right"><template #default="s">{{ hours(s.row.scheduled_ms) }}</template></el-table-column>
          <el-table-column :label="t('wfm.ac.signedInH')" min-width="80" align="right"><template #default="s">{{ hours(s.row.signed_in_ms) }}</template></el-table-column>
          <el-table-column :label="t('wfm.ac.availableH')" min-width="80" align="right"><template #default="s">{{ hours(s.row.available_ms) }}</template></el-table-column>
          <el-table-column :label="t('wfm.ac.inAdherenceH')" min-width="90" align="right"><template #default="s">{{ hours(s.row.in_adherence_ms) }}</template></el-table-column>
          <el-table-column :label="t('wfm.ac.adherence')" min-width="90" align="right" sortable
                           :sort-method="(a, b) => (a.adherence ?? 2) - (b.adherence ?? 2)">
            <template #default="s"><span class="wfm-adh" :class="{ bad: below(s.row), good: s.row.adherence != null && !below(s.row) }">{{ pct(s.row.adherence) }}</span></template>
          </el-table-column>
        </el-table>
        <el-table :data="adh.days" size="small" border class="wfm-attendance">
          <el-table-column :label="t('wfm.date')" min-width="100"><template #default="s">{{ ymd(s.row.day_ms) }} {{ weekday(s.row.day_ms) }}</template></el-table-column>
          <el-table-column prop="agents_scheduled" :label="t('wfm.ac.scheduled')" min-width="70" align="right" />
          <el-table-column prop="agents_worked" :label="t('wfm.ac.worked')" min-width="70" align="right" />
          <el-table-column :label="t('wfm.ac.kpi.attendance')" min-width="80" align="right">
            <template #default="s"><span :class="{ 'wfm-adh': true, bad: s.row.attendance != null && s.row.attendance < adh.kpis.attendance.target_lo }">{{ pct(s.row.attendance) }}</span></template>
          </el-table-column>
        </el-table>
      </div>
    </template>
  </div>`,
};
