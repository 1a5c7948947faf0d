// wfm_shift_dialog: one shift planned or changed — agent, day, start and
// end (an end at or before the start is the next day: a night shift), up
// to 8 breaks and a note, in quarter hours. What the server refuses (409:
// the agent already has a shift then; 400: a break outside the shift, a
// shift over 16 hours) stays in the dialog with its reason.
import { ref, reactive, computed, watch } from 'vue';
import { ElMessageBox } from 'element-plus';
import { t } from './i18n.js';
import { post, put, del } from './api.js';
import { addDays, at, hm, dayStart } from './wfm_days.js';

// A time on the shift's day, or the next day when before the start.
const after = (day, start, hhmm) => {
  const ms = at(day, hhmm);
  return ms <= start ? at(addDays(day, 1), hhmm) : ms;
};

// The center's usual shifts, one click each; the planner adjusts from there.
const TEMPLATES = [
  { key: 'early', start: '08:00', end: '17:00', breaks: [['12:00', '13:00']] },
  { key: 'middle', start: '12:00', end: '21:00', breaks: [['17:00', '18:00']] },
  { key: 'late', start: '18:00', end: '03:00', breaks: [['22:00', '23:00']] },
];

export default {
  props: { agents: Array },
  emits: ['saved'],
  setup(props, { emit, expose }) {
    const open = ref(false), busy = ref(false), error = ref('');
    const f = reactive({ id: '', agent: '', day: new Date(), start: '09:00', end: '18:00', breaks: [], note: '' });

    const startMs = computed(() => at(f.day, f.start));
    const endMs = computed(() => after(dayStart(f.day), startMs.value, f.end));
    const overnight = computed(() => dayStart(endMs.value) !== dayStart(startMs.value) && hm(endMs.value) !== '00:00');
    const onDuty = computed(() => {
      let ms = endMs.value - startMs.value;
      for (const b of f.breaks) {
        if (!b.start || !b.end) continue;
        const s = after(dayStart(f.day), startMs.value - 1, b.start);
        ms -= Math.max(0, after(dayStart(f.day), s, b.end) - s);
      }
      return (ms / 3600000).toFixed(2).replace(/\.?0+$/, '');
    });

    const edit = (shift, agent, day) => {
      error.value = '';
      if (shift) {
        Object.assign(f, { id: shift.id, agent: shift.agent, day: new Date(dayStart(shift.start_ms)),
          start: hm(shift.start_ms), end: hm(shift.end_ms), note: shift.note || '',
          breaks: shift.breaks.map(b => ({ start: hm(b.start_ms), end: hm(b.end_ms) })) });
      } else {
        // The usual day shift with an hour's lunch: the planner adjusts.
        Object.assign(f, { id: '', agent: agent || '', day: new Date(day || Date.now()),
          start: '09:00', end: '18:00', note: '', breaks: [{ start: '12:00', end: '13:00' }] });
      }
      open.value = true;
    };
    expose({ edit });

    const body = () => {
      const s = startMs.value;
      return {
        agent: f.agent, start_ms: s, end_ms: endMs.value, note: f.note,
        breaks: f.breaks.filter(b => b.start && b.end).map(b => {
          const bs = after(dayStart(f.day), s - 1, b.start);
          return { start_ms: bs, end_ms: after(dayStart(f.day), bs, b.end) };
        }),
      };
    };
    const save = async () => {
      if (busy.value) return;   // one write at a time: a second would be its own overlap
      if (!f.agent) { error.value = t('wfm.sh.needAgent'); return; }
      busy.value = true;
      error.value = '';
      try {
        if (f.id) await put('/api/v1/wfm/shifts/' + f.id, body());
        else await post('/api/v1/wfm/shifts', body());
        open.value = false;
        emit('saved');
      } catch (e) {
        error.value = (e.status === 409 ? t('wfm.sh.conflict') + ' ' : '') + e.message;
      } finally { busy.value = false; }
    };
    const remove = async () => {
      try {
        await ElMessageBox.confirm(t('wfm.sh.removeAsk', { a: f.agent, s: f.start, e: f.end }), t('wfm.sh.remove'),
          { type: 'warning' });
      } catch (e) { return; }
      try {
        await del('/api/v1/wfm/shifts/' + f.id);
        open.value = false;
        emit('saved');
      } catch (e) { error.value = e.message; }
    };
    watch(open, v => { if (!v) error.value = ''; });
    const addBreak = () => f.breaks.push({ start: '', end: '' });
    const apply = x => Object.assign(f, { start: x.start, end: x.end,
      breaks: x.breaks.map(([start, end]) => ({ start, end })) });
    return { TEMPLATES, apply, open, busy, error, f, overnight, onDuty, save, remove, addBreak, t };
  },
  template: `
  <el-dialog v-model="open" :title="f.id ? t('wfm.sh.edit') : t('wfm.sh.new')" width="560px" class="wfm-shift-dialog">
    <el-form label-width="88px" @submit.prevent="save">
      <el-form-item :label="t('wfm.agent')">
        <el-select v-model="f.agent" filterable allow-create class="wfm-sh-agent" style="width: 200px">
          <el-option v-for="a in agents" :key="a" :value="a" :label="a" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('wfm.date')">
        <el-date-picker v-model="f.day" type="date" :clearable="false" class="wfm-sh-day" style="width: 200px" />
      </el-form-item>
      <el-form-item :label="t('wfm.sh.template')">
        <el-button v-for="x in TEMPLATES" :key="x.key" size="small" :class="'wfm-tpl-' + x.key" @click="apply(x)">
          {{ t('wfm.sh.tpl.' + x.key) }} {{ x.start }}–{{ x.end }}</el-button>
      </el-form-item>
      <el-form-item :label="t('wfm.sh.time')">
        <el-time-select v-model="f.start" start="00:00" end="23:45" step="00:15" :clearable="false" class="wfm-sh-start" style="width: 120px" />
        <span class="wfm-dash">—</span>
        <el-time-select v-model="f.end" start="00:00" end="23:45" step="00:15" :clearable="false" class="wfm-sh-end" style="width: 120px" />
        <el-tag v-if="overnight" size="small" type="warning" class="wfm-next-day">{{ t('wfm.sh.nextDay') }}</el-tag>
      </el-form-item>
      <el-form-item :label="t('wfm.sh.breaks')">
        <div class="wfm-breaks">
          <div v-for="(b, i) in f.breaks" :key="i" class="wfm-break-row">
            <el-time-select v-model="b.start" start="00:00" end="23:45" step="00:15" class="wfm-br-start" style="width: 110px" />
            <span class="wfm-dash">—</span>
            <el-time-select v-model="b.end" start="00:00" end="23:45" step="00:15" class="wfm-br-end" style="width: 110px" />
            <el-button link type="danger" @click="f.breaks.splice(i, 1)">{{ t('wfm.sh.removeBreak') }}</el-button>
          </div>
          <el-button size="small" :disabled="f.breaks.length >= 8" @click="addBreak" class="wfm-add-break">＋ {{ t('wfm.sh.addBreak') }}</el-button>
        </div>
      </el-form-item>
      <el-form-item :label="t('wfm.sh.note')">
        <el-input v-model="f.note" maxlength="200" class="wfm-sh-note" />
      </el-form-item>
      <div class="wfm-on-duty">{{ t('wfm.sh.onDuty', { h: onDuty }) }}</div>
      <el-alert v-if="error" type="error" :closable="false" show-icon class="wfm-shift-error" :title="error" />
    </el-form>
    <template #footer>
      <el-button v-if="f.id" type="danger" plain class="wfm-sh-remove" @click="remove">{{ t('wfm.sh.remove') }}</el-button>
      <el-button @click="open = false">{{ t('wfm.cancel') }}</el-button>
      <el-button type="primary" :loading="busy" class="wfm-sh-save" @click="save">{{ t('wfm.save') }}</el-button>
    </template>
  </el-dialog>`,
};
