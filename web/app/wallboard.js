// wallboard: the supervisor's screen (监控大屏) — every queue live and every
// agent with time in state, red where a target is missed, suitable for a
// wall; buttons to listen, whisper, barge, set an agent's state and end a
// call; the day's calls by hour.
import { ref, computed, watch, onMounted, onUnmounted, nextTick } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import * as echarts from 'echarts';
import { t, lang } from './i18n.js';
import { get, post, put, session } from './api.js';
import { live, refreshAgents, onEvent } from './live.js';
import { clock, pct, stateTag } from './util.js';
import { kpiDefs, forgetKpiDefs, missed } from './reports_fmt.js';

export default {
  setup() {
    const now = ref(Date.now());
    const tick = setInterval(() => { now.value = Date.now(); }, 1000);

    const queues = computed(() => Object.values(live.queues)
      .sort((a, b) => a.name.localeCompare(b.name)));
    const agents = computed(() => Object.values(live.agents)
      .sort((a, b) => a.ext.localeCompare(b.ext)));
    const callOf = ext => Object.values(live.calls).find(c => c.agent === ext);
    const inState = a => (a.since ? clock((now.value - a.since) / 1000) : '');
    const totals = computed(() => {
      const s = { waiting: 0, ready: 0, busy: 0, talking: 0, answered: 0, offered: 0 };
      for (const q of queues.value) {
        s.waiting += q.waiting || 0;
        s.answered += (q.today && q.today.answered) || 0;
        s.offered += (q.today && q.today.offered) || 0;
      }
      for (const a of agents.value) {
        if (a.state === 'ready') s.ready++;
        if (['ringing', 'talking', 'held', 'wrap_up'].includes(a.state)) s.busy++;
        if (a.state === 'talking') s.talking++;
      }
      return s;
    });
    // Each queue's targets in force (its own over the center's over the
    // reference's, GET /api/v1/reports/kpi-targets?queue=), read when the
    // queue first shows and again each minute with the hourly chart (an
    // admin may have changed them).
    const targets = ref({});
    const loadTargets = async names => {
      for (const name of names) {
        try {
          const items = await kpiDefs(name);
          targets.value = { ...targets.value, [name]: Object.fromEntries(items.map(d => [d.id, d])) };
        } catch (e) { /* no targets readable: nothing coloured */ }
      }
    };
    watch(() => queues.value.map(q => q.name).join('\n'), () =>
      loadTargets(queues.value.map(q => q.name).filter(n => !targets.value[n])), { immediate: true });
    const over = (q, kpi, v) => !!q.today && v != null && missed((targets.value[q.name] || {})[kpi], v) === true;
    const miss = {
      sl: q => over(q, 'service_level', q.today && q.today.service_level),
      abandon: q => over(q, 'abandon_rate', q.today && q.today.abandon_rate),
      asa: q => over(q, 'asa', q.today && q.today.asa_s),
    };

    const monitor = async (c, mode) => {
      try {
        const { value } = await ElMessageBox.prompt(t('wb.myPhone'), t('wb.' + mode),
          { inputValue: session.user.extension || '', inputPattern: /^\d{2,16}$/ });
        await post(`/api/v1/calls/${c.id}/monitor`, { supervisor_ext: value, mode });
        ElMessage.success(t('wb.' + mode) + ' · ' + c.agent);
      } catch (e) { if (e && e.message) ElMessage.error(e.message); }
    };
    const endCall = async c => {
      try {
        await ElMessageBox.confirm(`${c.from} → ${c.agent}`, t('wb.end'), { type: 'warning' });
        await post(`/api/v1/calls/${c.id}/hangup`);
      } catch (e) { if (e && e.message) ElMessage.error(e.message); }
    };
    const setState = async (a, state) => {
      try {
        await put(`/api/v1/agents/${a.ext}/state`,
          state === 'not_ready' ? { state, reason: 'supervisor' } : { state });
      } catch (e) { ElMessage.error(e.message); }
    };

    // The day's offered and answered calls by hour, from the KPI
    // report's intervals.
    const chartEl = ref(null);
    let chart = null, chartTimer = null;
    const drawChart = async () => {
      if (!chartEl.value) return;
      const day = new Date(); day.setHours(0, 0, 0, 0);
      const path = '/api/v1/reports/kpi?interval=1h&from=' + encodeURIComponent(day.toISOString());
      // The center's figures; a supervisor who sees only some queues (403
      // for the center) gets the sum of the queues on their wallboard:
      // offered and answered calls add up across queues.
      let rows;
      try {
        rows = (await get(path)).rows || [];
      } catch (e) {
        if (e.status !== 403) return;
        rows = [];
        for (const q of queues.value) {
          try {
            rows.push(...((await get(path + '&queue=' + encodeURIComponent(q.name))).rows || []));
          } catch (e2) { /* a queue outside the scope adds nothing */ }
        }
      }
      // Every hour of the day so far, those without calls as zero.
      const byStart = {};
      for (const row of rows) {
        const c = byStart[row.start_ms] || (byStart[row.start_ms] = { offered: 0, answered: 0 });
        c.offered += (row.counts || {}).offered ?? 0;
        c.answered += (row.counts || {}).answered ?? 0;
      }
      const x = [], offered = [], answered = [];
      for (let ms = day.getTime(); ms <= Date.now(); ms += 3600000) {
        const c = byStart[ms] || {};
        x.push(String(new Date(ms).getHours()).padStart(2, '0') + ':00');
        offered.push(c.offered ?? 0);
        answered.push(c.answered ?? 0);
      }
      // The page may have been left while the rows were on their way.
      if (!chartEl.value) return;
      if (!chart) {
        chart = echarts.init(chartEl.value);
        // The browser tests read what the chart shows.
        (window.echartsInstances = window.echartsInstances || {}).wallboard = chart;
      }
      chart.setOption({
        tooltip: { trigger: 'axis' },
        legend: { data: [t('wb.offered'), t('wb.answered')] },
        grid: { left: 40, right: 16, top: 32, bottom: 24 },
        xAxis: { type: 'category', data: x },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: t('wb.offered'), type: 'bar', data: offered, itemStyle: { color: '#909399' } },
          { name: t('wb.answered'), type: 'bar', data: answered, itemStyle: { color: '#67c23a' } },
        ],
      });
    };
    const resize = () => chart && chart.resize();
    // A call entering, answered or given up changes the day's bars: drawn
    // again a moment after the last such event, not once per event.
    let redraw = null;
    const off = onEvent(ev => {
      if (!/^queue\.(enter|answer|abandon|overflow)$/.test(ev.type)) return;
      clearTimeout(redraw);
      redraw = setTimeout(drawChart, 1500);
    });
    onMounted(async () => {
      if (!Object.keys(live.agents).length) refreshAgents();
      await nextTick();
      drawChart();
      chartTimer = setInterval(() => {
        drawChart();
        forgetKpiDefs();
        loadTargets(queues.value.map(q => q.name));
      }, 60000);
      window.addEventListener('resize', resize);
    });
    onUnmounted(() => {
      off();
      clearTimeout(redraw);
      clearInterval(tick);
      clearInterval(chartTimer);
      window.removeEventListener('resize', resize);
      if (chart) chart.dispose();
    });

    return { queues, agents, totals, callOf, inState, miss, monitor, endCall,
      setState, chartEl, t, lang, clock, pct, stateTag };
  },
  template: `
  <div class="wallboard">
    <el-row :gutter="12" class="tiles">
      <el-col :span="4"><div class="tile" :class="{ bad: totals.waiting > 0 }"><div class="n" data-tile="waiting">{{ totals.waiting }}</div><div>{{ t('wb.waiting') }}</div></div></el-col>
      <el-col :span="4"><div class="tile good"><div class="n" data-tile="ready">{{ totals.ready }}</div><div>{{ t('wb.ready') }}</div></div></el-col>
      <el-col :span="4"><div class="tile"><div class="n">{{ totals.talking }}</div><div>{{ t('wb.talking') }}</div></div></el-col>
      <el-col :span="4"><div class="tile"><div class="n">{{ totals.busy }}</div><div>{{ t('wb.busy') }}</div></div></el-col>
      <el-col :span="4"><div class="tile"><div class="n">{{ totals.offered }}</div><div>{{ t('wb.offered') }}</div></div></el-col>
      <el-col :span="4"><div class="tile"><div class="n">{{ totals.answered }}</div><div>{{ t('wb.answered') }}</div></div></el-col>
    </el-row>

    <el-card shadow="never">
      <template #header><b>{{ t('wb.queues') }}</b></template>
      <el-table :data="queues" size="default" class="queue-table" row-key="name">
        <el-table-column prop="name" :label="t('desk.queue')" width="130" />
        <el-table-column :label="t('wb.waiting')" width="90">
          <template #default="s"><span :class="{ red: s.row.waiting > 0 }" :data-queue-waiting="s.row.name">{{ s.row.waiting }}</span></template>
        </el-table-column>
        <el-table-column :label="t('wb.longest')" width="110">
          <template #default="s">{{ clock(s.row.longest_wait_s) }}</template>
        </el-table-column>
        <el-table-column :label="t('wb.ready') + ' / ' + t('wb.talking')" width="120">
          <template #default="s">{{ s.row.agents.ready }} / {{ s.row.agents.talking }}</template>
        </el-table-column>
        <el-table-column :label="t('wb.offered') + ' / ' + t('wb.answered')" width="130">
          <template #default="s">{{ s.row.today.offered }} / {{ s.row.today.answered }}</template>
        </el-table-column>
        <el-table-column :label="t('wb.sl')">
          <template #default="s"><span :class="{ red: miss.sl(s.row) }">{{ pct(s.row.today.service_level) }}</span></template>
        </el-table-column>
        <el-table-column :label="t('wb.asa')">
          <template #default="s"><span :class="{ red: miss.asa(s.row) }">{{ s.row.today.asa_s == null ? '—' : clock(s.row.today.asa_s) }}</span></template>
        </el-table-column>
        <el-table-column :label="t('wb.abandon')">
          <template #default="s"><span :class="{ red: miss.abandon(s.row) }">{{ pct(s.row.today.abandon_rate) }}</span></template>
        </el-table-column>
      </el-table>
    </el-card>

    <el-row :gutter="12">
      <el-col :span="15">
        <el-card shadow="never">
          <template #header><b>{{ t('wb.agents') }}</b></template>
          <el-table :data="agents" size="small" class="agent-table" row-key="ext" max-height="360">
            <el-table-column prop="ext" :label="t('desk.ext')" width="90" />
            <el-table-column :label="t('desk.state')" width="115">
              <template #default="s"><el-tag :type="stateTag(s.row.state)" effect="dark" :data-agent-state="s.row.ext">{{ t('state.' + s.row.state) }}</el-tag></template>
            </el-table-column>
            <el-table-column :label="t('desk.inState')" width="70">
              <template #default="s">{{ inState(s.row) }}</template>
            </el-table-column>
            <el-table-column :label="t('wb.current')" min-width="170">
              <template #default="s"><span v-if="callOf(s.row.ext)">{{ callOf(s.row.ext).from }} · {{ callOf(s.row.ext).queue || '' }}</span></template>
            </el-table-column>
            <el-table-column :label="t('wb.calls')" width="75" prop="calls_today" />
            <el-table-column width="120">
              <template #default="s">
                <el-dropdown v-if="callOf(s.row.ext)" size="small" class="monitor"
                             @command="m => m === 'end' ? endCall(callOf(s.row.ext)) : monitor(callOf(s.row.ext), m)">
                  <el-button size="small" type="primary" plain>{{ t('wb.monitor') }} ▾</el-button>
                  <template #dropdown><el-dropdown-menu>
                    <el-dropdown-item command="listen">{{ t('wb.listen') }}</el-dropdown-item>
                    <el-dropdown-item command="whisper">{{ t('wb.whisper') }}</el-dropdown-item>
                    <el-dropdown-item command="barge">{{ t('wb.barge') }}</el-dropdown-item>
                    <el-dropdown-item command="end" divided>{{ t('wb.end') }}</el-dropdown-item>
                  </el-dropdown-menu></template>
                </el-dropdown>
                <el-dropdown v-else-if="s.row.state !== 'logged_out'" size="small" @command="st => setState(s.row, st)">
                  <el-button size="small" link>{{ t('wb.setState') }} ▾</el-button>
                  <template #dropdown><el-dropdown-menu>
                    <el-dropdown-item command="ready">{{ t('state.ready') }}</el-dropdown-item>
                    <el-dropdown-item command="not_ready">{{ t('state.not_ready') }}</el-dropdown-item>
                    <el-dropdown-item command="logged_out">{{ t('state.logged_out') }}</el-dropdown-item>
                  </el-dropdown-menu></template>
                </el-dropdown>
              </template>
            </el-table-column>
          </el-table>
        </el-card>
      </el-col>
      <el-col :span="9">
        <el-card shadow="never">
          <template #header><b>{{ t('wb.offered') }} / {{ t('wb.answered') }}</b></template>
          <div ref="chartEl" class="chart"></div>
        </el-card>
      </el-col>
    </el-row>
  </div>`,
};
