// wfm_shifts: 班表 — a week of shifts, a row per agent and a column per
// day; each shift is a bar over the day's 24 hours with its breaks cut out,
// and a night shift goes on in the next day's cell. A click on a bar
// changes the shift, a click on the empty part of a day plans one there.
// The week can be copied to the next: each shift is planned again 7 days
// later, and what the server refuses (the agent already has a shift then)
// is listed with its reason. With a queue picked, each day's requirement
// from its forecast (agent-hours and the peak, shrinkage included) is set
// under the hours planned, red where the plan falls short.
import { ref, computed, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { get, post } from './api.js';
import { DAY_MS, addDays, dayStart, weekStart, iso, hm, dayLabel, ymd, hours, forecastFrom } from './wfm_days.js';
import ShiftDialog from './wfm_shift_dialog.js';

// The part of [s, e) inside the day, as percentages of the day's width.
const place = (day, s, e) => {
  const end = addDays(day, 1), len = end - day;
  const a = Math.max(s, day), b = Math.min(e, end);
  return b > a ? { left: ((a - day) / len) * 100, width: ((b - a) / len) * 100 } : null;
};

export default {
  components: { ShiftDialog },
  setup() {
    const week = ref(new Date(weekStart(Date.now())));
    const shifts = ref([]), known = ref([]), loading = ref(false), error = ref('');
    const copyResult = ref(null), dialog = ref(null);
    const from = computed(() => weekStart(week.value));
    const days = computed(() => Array.from({ length: 7 }, (_, i) => addDays(from.value, i)));
    const today = dayStart(Date.now());

    const queues = ref([]), queue = ref(''), need = ref(null), needError = ref('');
    // The week's days from the queue's forecast: a past week is forecast
    // from its own Monday, a later one by forecasting weeks on.
    const loadNeed = async () => {
      need.value = null;
      needError.value = '';
      if (!queue.value) return;
      const start = Math.min(from.value, forecastFrom()), end = addDays(from.value, 7);
      const weeks = Math.ceil((end - start) / (7 * DAY_MS));
      if (weeks > 8) { needError.value = t('wfm.ac.needTooFar'); return; }
      try {
        const r = await get(`/api/v1/wfm/forecast?queue=${encodeURIComponent(queue.value)}&from=${iso(start)}` +
          `&weeks=${weeks}&interval=30m`);
        const h = r.interval_ms / 3600000;
        need.value = days.value.map(d => {
          const rows = r.rows.filter(x => x.start_ms >= d && x.start_ms < addDays(d, 1));
          return { ms: rows.reduce((n, x) => n + x.scheduled * h * 3600000, 0),
            peak: rows.reduce((n, x) => Math.max(n, x.scheduled), 0) };
        });
      } catch (e) { needError.value = e.message; }
    };
    const load = async () => {
      loadNeed();
      loading.value = true;
      error.value = '';
      try {
        const r = await get(`/api/v1/wfm/shifts?from=${iso(from.value)}&to=${iso(addDays(from.value, 7))}`);
        shifts.value = r.items;
      } catch (e) { error.value = e.message; }
      finally { loading.value = false; }
    };
    const agents = computed(() => [...new Set([...known.value, ...shifts.value.map(s => s.agent)])]
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
    // Per agent and day: the bars (a shift's part in that day) and breaks.
    const grid = computed(() => agents.value.map(agent => {
      const mine = shifts.value.filter(s => s.agent === agent);
      let onDuty = 0;
      for (const s of mine) {
        const a = Math.max(s.start_ms, from.value), b = Math.min(s.end_ms, addDays(from.value, 7));
        onDuty += Math.max(0, b - a);
        for (const br of s.breaks) onDuty -= Math.max(0, Math.min(br.end_ms, b) - Math.max(br.start_ms, a));
      }
      return {
        agent, onDuty,
        cells: days.value.map(day => mine.map(s => {
          const p = place(day, s.start_ms, s.end_ms);
          if (!p) return null;
          const breaks = s.breaks.map(br => place(day, br.start_ms, br.end_ms)).filter(Boolean)
            .map(x => ({ left: ((x.left - p.left) / p.width) * 100, width: (x.width / p.width) * 100 }));
          return { shift: s, ...p, breaks, first: s.start_ms >= day };
        }).filter(Boolean)),
      };
    }));
    const totals = computed(() => days.value.map(day => {
      let n = 0, ms = 0;
      for (const row of grid.value) {
        const bars = row.cells[days.value.indexOf(day)];
        if (bars.length) n++;
        for (const b of bars) {
          const s = b.shift, a = Math.max(s.start_ms, day), e = Math.min(s.end_ms, addDays(day, 1));
          ms += e - a;
          for (const br of s.breaks) ms -= Math.max(0, Math.min(br.end_ms, e) - Math.max(br.start_ms, a));
        }
      }
      return { n, ms };
    }));

    const move = n => { week.value = new Date(addDays(from.value, 7 * n)); load(); };
    const pick = () => load();
    const create = (agent, day) => dialog.value.edit(null, agent, day);
    const edit = s => dialog.value.edit(s);
    // Each shift that starts this week, planned again a week later.
    const copyWeek = async () => {
      const mine = shifts.value.filter(s => s.start_ms >= from.value && s.start_ms < addDays(from.value, 7));
      const wk = ms => addDays(ms, 7) + (ms - dayStart(ms));   // same time, 7 days on
      let copied = 0;
      const refused = [];
      for (const s of mine) {
        try {
          await post('/api/v1/wfm/shifts', {
            agent: s.agent, start_ms: wk(s.start_ms), end_ms: wk(s.end_ms), note: s.note,
            breaks: s.breaks.map(b => ({ start_ms: wk(b.start_ms), end_ms: wk(b.end_ms) })),
          });
          copied++;
        } catch (e) {
          refused.push(`${s.agent} ${dayLabel(wk(s.start_ms))} ${hm(s.start_ms)}–${hm(s.end_ms)}: ${e.message}`);
        }
      }
      copyResult.value = { copied, refused };
      ElMessage({ type: refused.length ? 'warning' : 'success',
        message: t('wfm.sh.copied', { n: copied, m: refused.length }) });
      move(1);
    };
    onMounted(async () => {
      get('/api/v1/queues').then(r => { queues.value = (r.items || []).map(q => q.name).sort(); }).catch(() => {});
      try {
        const r = await get('/api/v1/agents');
        known.value = (r.items || []).map(a => a.ext);
      } catch (e) { /* the shifts' own agents are still shown */ }
      load();
    });
    return { queues, queue, need, needError, loadNeed, week, from, days, today, grid, totals, loading, error, copyResult, dialog, agents,
      move, pick, create, edit, copyWeek, load, t, hm, dayLabel, ymd, hours };
  },
  template: `
  <div class="wfm-shifts">
    <div class="wfm-toolbar">
      <el-button-group>
        <el-button class="wfm-prev" @click="move(-1)">‹ {{ t('wfm.sh.prev') }}</el-button>
        <el-button class="wfm-this" @click="week = new Date(); pick()">{{ t('wfm.sh.thisWeek') }}</el-button>
        <el-button class="wfm-next" @click="move(1)">{{ t('wfm.sh.next') }} ›</el-button>
      </el-button-group>
      <el-date-picker v-model="week" type="week" :format="t('wfm.sh.weekFormat')" :clearable="false"
                      class="wfm-week" style="width: 170px" @change="pick" />
      <span class="wfm-range">{{ ymd(days[0]) }} ~ {{ ymd(days[6]) }}</span>
      <span class="spacer"></span>
      <el-select v-model="queue" clearable :placeholder="t('wfm.sh.needQueue')" class="wfm-sh-queue" style="width: 150px" @change="loadNeed">
        <el-option v-for="q in queues" :key="q" :value="q" :label="q" />
      </el-select>
      <el-button class="wfm-copy" @click="copyWeek">{{ t('wfm.sh.copy') }}</el-button>
      <el-button type="primary" class="wfm-new" @click="create('', days[0])">＋ {{ t('wfm.sh.new') }}</el-button>
    </div>
    <el-alert v-if="error" type="error" :closable="false" show-icon :title="error" class="wfm-sh-list-error" />
    <el-alert v-if="needError" type="warning" :closable="false" show-icon :title="t('wfm.ac.noNeed') + ' ' + needError" class="wfm-sh-list-error wfm-need-error" />
    <el-alert v-if="copyResult && copyResult.refused.length" type="warning" show-icon class="wfm-copy-refused"
              :title="t('wfm.sh.copied', { n: copyResult.copied, m: copyResult.refused.length })" @close="copyResult = null">
      <div v-for="r in copyResult.refused" :key="r">{{ r }}</div>
    </el-alert>
    <div class="wfm-week-grid" v-loading="loading">
      <table>
        <thead>
          <tr>
            <th class="wfm-agent-col">{{ t('wfm.agent') }}</th>
            <th v-for="d in days" :key="d" :class="{ 'wfm-today': d === today }">{{ dayLabel(d) }}</th>
          </tr>
          <tr class="wfm-scale">
            <th></th>
            <th v-for="d in days" :key="d"><span v-for="h in [0, 6, 12, 18]" :key="h" :style="{ left: (h / 24 * 100) + '%' }">{{ h }}</span></th>
          </tr>
        </thead>
        <tbody>
          <tr v-for="row in grid" :key="row.agent" :data-agent="row.agent" class="wfm-row">
            <td class="wfm-agent-col"><b>{{ row.agent }}</b><div class="wfm-hours">{{ t('wfm.sh.weekHours', { h: hours(row.onDuty) }) }}</div></td>
            <td v-for="(bars, i) in row.cells" :key="i" class="wfm-cell" :data-day="i" @click.self="create(row.agent, days[i])">
              <div class="wfm-track" @click.self="create(row.agent, days[i])">
                <div v-for="b in bars" :key="b.shift.id" class="wfm-bar" :data-shift="b.shift.id"
                     :style="{ left: b.left + '%', width: b.width + '%' }" @click.stop="edit(b.shift)"
                     :title="hm(b.shift.start_ms) + '–' + hm(b.shift.end_ms) + (b.shift.note ? ' ' + b.shift.note : '')">
                  <div v-for="(br, k) in b.breaks" :key="k" class="wfm-brk" :style="{ left: br.left + '%', width: br.width + '%' }"></div>
                </div>
              </div>
              <div class="wfm-labels">
                <template v-for="b in bars.filter(x => x.first)" :key="b.shift.id">
                  <span class="wfm-label" @click.stop="edit(b.shift)">{{ hm(b.shift.start_ms) }}–{{ hm(b.shift.end_ms) }}</span>
                  <span v-if="b.shift.breaks.length" class="wfm-label wfm-label-brk" @click.stop="edit(b.shift)">{{ t('wfm.sh.brkShort') }} {{ b.shift.breaks.map(x => hm(x.start_ms) + '–' + hm(x.end_ms)).join(' ') }}</span>
                </template>
              </div>
            </td>
          </tr>
          <tr v-if="!grid.length"><td :colspan="8" class="wfm-empty">{{ t('wfm.sh.empty') }}</td></tr>
        </tbody>
        <tfoot>
          <tr class="wfm-totals">
            <td>{{ t('wfm.sh.total') }}</td>
            <td v-for="(x, i) in totals" :key="i">{{ t('wfm.sh.dayTotal', { n: x.n, h: hours(x.ms) }) }}</td>
          </tr>
          <tr v-if="need" class="wfm-totals wfm-need">
            <td>{{ t('wfm.sh.need', { q: queue }) }}</td>
            <td v-for="(x, i) in need" :key="i" :class="{ short: totals[i].ms < x.ms }">{{ t('wfm.sh.needDay', { h: hours(x.ms), p: x.peak }) }}</td>
          </tr>
        </tfoot>
      </table>
    </div>
    <div class="wfm-legend"><span class="wfm-bar-sample"></span>{{ t('wfm.sh.onDutyLegend') }}
      <span class="wfm-brk-sample"></span>{{ t('wfm.sh.breakLegend') }} · {{ t('wfm.sh.clickHint') }}</div>
    <shift-dialog ref="dialog" :agents="agents" @saved="load" />
  </div>`,
};
