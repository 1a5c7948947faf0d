// desk: the agent desktop (坐席工作台) — sign in and out, ready and not
// ready with a reason, the screen pop of the call on the agent's phone
// (AOFAX's fields: number, region, direction, queue, agent, start, talk
// time, previous calls, last agent, and the call-associated data) and
// the buttons for everything the call-control API offers. Not ready takes
// one of the administrator's reasons (示忙原因); after a call the
// wrap-up panel (话后小结) counts down the queue's wrap-up time and files a
// wrap-up code with notes, which ends the wrap-up at once.
import { ref, computed, watch, onMounted, onUnmounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { t, lang } from './i18n.js';
import { get, post, put, session } from './api.js';
import { live, onEvent, refreshAgents } from './live.js';
import { clock, when, stateTag, region } from './util.js';
import CustPop from './custpop.js';
import KbSearch from './kb_search.js';
import Todo from './todo.js';

// A row's label in the console's language.
const label = r => (r ? (lang.value === 'en' ? r.label_en : r.label_zh) : '');

export default {
  components: { CustPop, KbSearch, Todo },
  setup() {
    const ext = session.user.extension;
    const now = ref(Date.now());
    const tick = setInterval(() => { now.value = Date.now(); }, 1000);
    onUnmounted(() => clearInterval(tick));

    const me = computed(() => live.agents[ext] || null);
    const inState = computed(() =>
      me.value && me.value.since ? clock((now.value - me.value.since) / 1000) : '');
    const pending = ref('');
    const reasons = ref([]);
    const allReasons = ref([]);
    const codes = ref([]);
    const loadLists = async () => {
      try {
        // Every reason names a state in words (the system's own too:
        // no-answer, phone); only the active ones are offered.
        allReasons.value = (await get('/api/v1/not-ready-reasons')).items;
        reasons.value = allReasons.value.filter(r => r.active);
        codes.value = (await get('/api/v1/wrapup-codes')).items.filter(c => c.active);
      } catch (e) { ElMessage.error(e.message); }
    };
    const reasonLabel = code => label(allReasons.value.find(r => r.code === code)) || code;

    // After-call work: the call just handled, its queue's wrap-up time and
    // whether a code is required, from the live agent list; the panel stays
    // until the code is filed, even when the wrap-up time has run out.
    const wrap = ref(null);
    const wrapForm = ref({ code: '', notes: '' });
    const wrapBusy = ref(false);
    let lastCall = null;
    // ended: the call that left this phone (hung up or transferred), when
    // the state change has not been seen (yet).
    const openWrap = async ended => {
      let a = null;
      try {
        a = (await get('/api/v1/agents')).items.find(x => x.ext === ext) || null;
      } catch (e) { /* the panel still opens with the call last seen */ }
      if (a && a.state !== 'wrap_up') a = null;   /* the API's name */
      const id = (a && a.wrapup_call) || (ended && ended.id) || (lastCall && lastCall.id);
      if (!id || (wrap.value && wrap.value.id === id)) return;
      wrap.value = { id, queue: lastCall && lastCall.id === id ? lastCall.queue : '',
        from: lastCall && lastCall.id === id ? lastCall.from : '',
        ms: (a && a.wrapup_ms) || 0, required: !!(a && a.wrapup_required), since: Date.now() };
      wrapForm.value = { code: '', notes: '' };
    };
    // The snapshot names the state wrap_up, agent.state events wrapup.
    watch(() => me.value && me.value.state, s => {
      pending.value = '';
      if (s === 'wrap_up' || s === 'wrapup') openWrap();
    });
    const wrapLeft = computed(() => {
      if (!wrap.value || !wrap.value.ms) return null;
      return Math.max(0, Math.ceil((wrap.value.since + wrap.value.ms - now.value) / 1000));
    });
    const wrapCodes = computed(() => codes.value.filter(c =>
      !c.queue || !wrap.value || !wrap.value.queue || c.queue === wrap.value.queue));
    const submitWrap = async () => {
      if (!wrapForm.value.code) {
        ElMessage.error(t('wrap.needCode'));
        return;
      }
      wrapBusy.value = true;
      try {
        await post(`/api/v1/calls/${wrap.value.id}/wrapup`,
          { code: wrapForm.value.code, notes: wrapForm.value.notes });
        ElMessage.success(t('wrap.filed'));
        wrap.value = null;
      } catch (e) { ElMessage.error(e.message); }
      wrapBusy.value = false;
    };

    const setState = async (state, reason) => {
      try {
        await put(`/api/v1/agents/${ext}/state`, reason ? { state, reason } : { state });
        if (me.value && ['talking', 'ringing', 'held'].includes(me.value.state))
          pending.value = state;
      } catch (e) { ElMessage.error(e.message); }
    };

    // The call on this agent's phone: the newest live call whose agent is
    // this extension.
    const call = computed(() => {
      const mine = Object.values(live.calls).filter(c => c.agent === ext);
      mine.sort((a, b) => (b.since || 0) - (a.since || 0));
      return mine[0] || null;
    });
    watch(call, (c, old) => {
      if (c) lastCall = { id: c.id, queue: c.queue, from: c.from };
      else if (old && old.answeredAt) openWrap(lastCall);
    });
    const talkTime = computed(() =>
      call.value && call.value.answeredAt ? clock((now.value - call.value.answeredAt) / 1000) : clock(0));

    // The caller's history from the call records: how many calls, and who
    // took the last one.
    const history = ref({ count: null, lastAgent: null });
    const recent = ref([]);
    const loadRecent = async () => {
      try {
        const r = await get('/api/v1/calls?limit=10');
        recent.value = r.items;
      } catch (e) { recent.value = []; }
    };
    watch(() => call.value && call.value.id, async id => {
      history.value = { count: null, lastAgent: null };
      if (!id || !call.value.from) { loadRecent(); return; }
      try {
        const r = await get('/api/v1/calls?limit=100&number=' +
          encodeURIComponent(call.value.from));
        const earlier = r.items.filter(c => c.id !== id);
        history.value = { count: earlier.length + (r.next_cursor ? '+' : ''),
          lastAgent: earlier.length ? earlier[0].agent : null };
      } catch (e) { /* the pop still shows the rest */ }
    }, { immediate: true });

    const op = async (name, path, body) => {
      try {
        await post(`/api/v1/calls/${call.value.id}/${path}`, body);
        ElMessage.success(t('desk.done', { op: t(name) }));
      } catch (e) { ElMessage.error(e.message); }
    };
    const consulting = ref(false);
    const transfer = async (attended) => {
      try {
        const { value } = await ElMessageBox.prompt(t('desk.transferTo'),
          t(attended ? 'desk.consult' : 'desk.transfer'),
          { inputPattern: /^\S{1,31}$/, confirmButtonText: t('common.ok'),
            cancelButtonText: t('common.cancel') });
        await op(attended ? 'desk.consult' : 'desk.transfer', 'transfer',
          attended ? { to: value, attended: true } : { to: value });
        if (attended) consulting.value = true;
      } catch (e) { /* cancelled */ }
    };
    const conference = async () => {
      try {
        const { value } = await ElMessageBox.prompt(t('desk.transferTo'),
          t('desk.conference'), { inputPattern: /^\S{1,31}$/ });
        await op('desk.conference', 'conference', { to: value });
      } catch (e) { /* cancelled */ }
    };
    const dtmf = async () => {
      try {
        const { value } = await ElMessageBox.prompt('0-9 * #', t('desk.dtmf'),
          { inputPattern: /^[0-9*#A-D]{1,32}$/ });
        await op('desk.dtmf', 'dtmf', { digits: value });
      } catch (e) { /* cancelled */ }
    };
    const finishConsult = async (how) => {
      await op(how === 'complete' ? 'desk.complete' : 'desk.cancel', 'transfer/' + how);
      consulting.value = false;
    };

    const dialTo = ref('');
    const dial = async () => {
      try {
        await post('/api/v1/calls', { agent: ext, to: dialTo.value });
        ElMessage.success(t('desk.done', { op: t('desk.dial') }));
      } catch (e) { ElMessage.error(e.message); }
    };

    const off = onEvent(ev => { if (ev.type === 'call.ended') loadRecent(); });
    onUnmounted(off);
    onMounted(() => {
      if (!Object.keys(live.agents).length) refreshAgents();
      loadLists();
      if (me.value && ['wrap_up', 'wrapup'].includes(me.value.state)) openWrap();
    });

    const dataRows = computed(() => {
      const d = (call.value && call.value.data) || {};
      const rows = [];
      for (const [section, kv] of Object.entries(d))
        for (const [key, value] of Object.entries(kv || {}))
          rows.push({ section, key, value });
      return rows;
    });

    // The caller's choice in the IVR menu (docs/ivr.md): the pop offers
    // the knowledge-base articles tied to it.
    const ivrChoice = computed(() => {
      const d = call.value && call.value.data;
      return (d && d.ivr && typeof d.ivr.menu === 'string') ? d.ivr.menu : '';
    });

    return { ext, me, inState, pending, setState, reasons, reasonLabel, label, wrap, wrapForm,
      wrapBusy, wrapLeft, wrapCodes, submitWrap, call, talkTime, history,
      recent, op, transfer, conference, dtmf, consulting, finishConsult, dialTo, dial,
      dataRows, ivrChoice, t, clock, when, stateTag, region };
  },
  template: `
  <div class="desk">
    <el-alert v-if="!ext" type="warning" :closable="false" show-icon :title="t('desk.noExt')" />
    <template v-else>
    <el-card class="state-bar" shadow="never">
      <div class="row">
        <span class="label">{{ t('desk.ext') }}</span><b class="ext">{{ ext }}</b>
        <span class="label">{{ t('desk.state') }}</span>
        <el-tag v-if="me" :type="stateTag(me.state)" size="large" effect="dark" class="my-state"
                :data-state="me.state">
          {{ t('state.' + me.state) }}<template v-if="me.reason && me.state === 'not_ready'"> · {{ reasonLabel(me.reason) }}</template>
        </el-tag>
        <span class="muted">{{ t('desk.inState') }} {{ inState }}</span>
        <span class="spacer"></span>
        <el-button v-if="me && me.state === 'logged_out'" type="primary" @click="setState('ready')">{{ t('desk.signin') }}</el-button>
        <template v-else>
          <el-button type="success" :disabled="me && me.state === 'ready'" @click="setState('ready')" class="btn-ready">{{ t('desk.ready') }}</el-button>
          <el-dropdown @command="r => setState('not_ready', r)" trigger="click">
            <el-button type="warning">{{ t('desk.notReady') }} ▾</el-button>
            <template #dropdown><el-dropdown-menu class="reason-menu">
              <el-dropdown-item v-for="r in reasons" :key="r.code" :command="r.code" :data-reason="r.code">{{ label(r) }}</el-dropdown-item>
            </el-dropdown-menu></template>
          </el-dropdown>
          <el-button @click="setState('logged_out')">{{ t('desk.signout') }}</el-button>
        </template>
      </div>
      <div v-if="pending" class="pending">{{ t('desk.pending', { state: t('state.' + pending) }) }}</div>
    </el-card>

    <el-card v-if="wrap" shadow="never" class="wrap-panel">
      <template #header><div class="row">
        <b>{{ t('wrap.title') }}</b>
        <span class="muted wrap-call">{{ wrap.from }} {{ wrap.queue ? '· ' + wrap.queue : '' }}</span>
        <span class="spacer"></span>
        <el-tag v-if="wrapLeft !== null" :type="wrapLeft > 0 ? 'primary' : (wrap.required ? 'danger' : 'info')"
                effect="dark" class="wrap-left">
          {{ wrapLeft > 0 ? t('wrap.left', { s: wrapLeft }) : (wrap.required ? t('wrap.overdue') : t('wrap.over')) }}
        </el-tag>
      </div></template>
      <el-form label-width="110px" class="wrap-form" @submit.prevent>
        <el-form-item :label="t('wrap.code')" :required="wrap.required">
          <el-select v-model="wrapForm.code" :placeholder="t('wrap.choose')" class="wrap-code" filterable>
            <el-option v-for="c in wrapCodes" :key="c.code" :value="c.code" :label="label(c)" />
          </el-select>
          <span v-if="wrap.required" class="muted wrap-hint">{{ t('wrap.required') }}</span>
        </el-form-item>
        <el-form-item :label="t('wrap.notes')">
          <el-input v-model="wrapForm.notes" type="textarea" :rows="3" maxlength="2000" show-word-limit
                    class="wrap-notes" />
        </el-form-item>
        <el-form-item>
          <el-button type="primary" :loading="wrapBusy" @click="submitWrap" class="btn-wrap">{{ t('wrap.submit') }}</el-button>
        </el-form-item>
      </el-form>
    </el-card>

    <el-row :gutter="16">
      <el-col :span="15">
        <el-card shadow="never" class="pop" :class="{ active: call }">
          <template #header><b>{{ t('desk.pop') }}</b>
            <el-tag v-if="call" :type="stateTag(call.state)" effect="dark" class="call-state">{{ t('state.' + call.state) }}</el-tag>
          </template>
          <div v-if="!call" class="idle">{{ t('desk.idle') }}</div>
          <template v-else>
            <div class="caller" data-field="caller">{{ call.from }}</div>
            <cust-pop :number="call.direction === 'outbound' ? call.to : call.from" :ivr="ivrChoice" :call-id="call.id" />
            <el-descriptions :column="2" border size="default">
              <el-descriptions-item :label="t('desk.region')"><span data-field="region">{{ region(call) }}</span></el-descriptions-item>
              <el-descriptions-item :label="t('desk.direction')">{{ t('desk.dir.' + (call.direction || 'inbound')) }}</el-descriptions-item>
              <el-descriptions-item :label="t('desk.queue')"><span data-field="queue">{{ call.queue || t('common.none') }}</span></el-descriptions-item>
              <el-descriptions-item :label="t('desk.agent')">{{ call.agent }}</el-descriptions-item>
              <el-descriptions-item :label="t('desk.start')">{{ when(call.since && new Date(call.since).toISOString()) }}</el-descriptions-item>
              <el-descriptions-item :label="t('desk.duration')">{{ talkTime }}</el-descriptions-item>
              <el-descriptions-item :label="t('desk.history')">{{ history.count ?? t('common.none') }}</el-descriptions-item>
              <el-descriptions-item :label="t('desk.lastAgent')">{{ history.lastAgent || t('common.none') }}</el-descriptions-item>
            </el-descriptions>
            <div class="section-title">{{ t('desk.data') }}</div>
            <el-table v-if="dataRows.length" :data="dataRows" size="small" border class="call-data">
              <el-table-column prop="section" :label="t('desk.dataSection')" width="140" />
              <el-table-column prop="key" :label="t('desk.dataKey')" width="160" />
              <el-table-column prop="value" :label="t('desk.dataValue')" />
            </el-table>
            <div v-else class="muted">{{ t('desk.noData') }}</div>
            <div class="controls">
              <el-button v-if="call.state !== 'held'" @click="op('desk.hold', 'hold')" :disabled="call.state !== 'talking'">{{ t('desk.hold') }}</el-button>
              <el-button v-else type="primary" @click="op('desk.resume', 'resume')">{{ t('desk.resume') }}</el-button>
              <el-button @click="transfer(false)" :disabled="call.state !== 'talking'" class="btn-transfer">{{ t('desk.transfer') }}</el-button>
              <el-button @click="transfer(true)" :disabled="call.state !== 'talking'">{{ t('desk.consult') }}</el-button>
              <template v-if="consulting">
                <el-button type="primary" @click="finishConsult('complete')">{{ t('desk.complete') }}</el-button>
                <el-button @click="finishConsult('cancel')">{{ t('desk.cancel') }}</el-button>
              </template>
              <el-button @click="conference" :disabled="call.state !== 'talking'">{{ t('desk.conference') }}</el-button>
              <el-button @click="dtmf" :disabled="call.state !== 'talking'">{{ t('desk.dtmf') }}</el-button>
              <el-button type="danger" @click="op('desk.hangup', 'hangup')">{{ t('desk.hangup') }}</el-button>
            </div>
          </template>
        </el-card>
      </el-col>
      <el-col :span="9">
        <el-card shadow="never">
          <template #header><b>{{ t('desk.dial') }}</b></template>
          <div class="dial">
            <el-input v-model="dialTo" :placeholder="t('desk.dialTo')" clearable @keyup.enter="dial" />
            <el-button type="primary" :disabled="!dialTo" @click="dial">{{ t('desk.dial') }}</el-button>
          </div>
        </el-card>
        <todo compact />
        <el-card shadow="never" class="recent">
          <template #header><b>{{ t('desk.recent') }}</b></template>
          <el-table :data="recent" size="small" :empty-text="t('calls.none')">
            <el-table-column :label="t('calls.from')" prop="from" />
            <el-table-column :label="t('calls.start')"><template #default="s">{{ when(s.row.started_at).slice(5) }}</template></el-table-column>
            <el-table-column :label="t('calls.talk')" width="70"><template #default="s">{{ clock(s.row.talk_s) }}</template></el-table-column>
          </el-table>
        </el-card>
        <kb-search :call-id="call ? call.id : ''" />
      </el-col>
    </el-row>
    </template>
  </div>`,
};
