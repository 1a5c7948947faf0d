// workorders: 工单 — the department's inbox, my orders, the overdue ones
// and any state, side by side with the order picked: its deadlines, its
// history and what the signed-in person may do to it now (the move table
// from the server, so the buttons are the moves the state allows), and its
// files (woattach.js). #/workorders/ID opens one order (the screen pop
// links here).
import { ref, computed, onMounted, onUnmounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { t, lang } from './i18n.js';
import { get, post, session } from './api.js';
import { onEvent } from './live.js';
import { when } from './util.js';
import WoAttach from './woattach.js';
import WoCreate from './wo_create.js';
import WoReport from './wo_report.js';

const priTag = { urgent: 'danger', high: 'warning', medium: '', low: 'info' };
const stateTag = { submitted: 'info', pending: 'warning', in_progress: '',
  waiting_customer: 'info', done: 'success', replied: 'success',
  returned: 'danger', reopened: 'warning', closed: 'info' };
const clockTag = { ok: 'success', met: 'success', warning: 'warning',
  breached: 'danger', late: 'danger', paused: 'info', stopped: 'info' };

export default {
  components: { WoAttach, WoCreate, WoReport },
  setup() {
    const tab = ref('inbox'), state = ref(''), rows = ref([]), cursor = ref(null);
    const meta = ref({ states: [], moves: [], priorities: [], types: [] });
    const depts = ref([]);
    const cur = ref(null), busy = ref(false);
    const createOpen = ref(false);
    const act = ref(null), actForm = ref({}), actError = ref('');

    const stateName = s => {
      const m = meta.value.states.find(x => x.name === s);
      return m ? (lang.value === 'en' ? s.replace('_', ' ') : m.zh) : s;
    };
    const priName = p => {
      const m = meta.value.priorities.find(x => x.name === p);
      return m ? (lang.value === 'en' ? p : m.zh) : p;
    };
    const load = async more => {
      const q = new URLSearchParams({ view: tab.value === 'state' ? 'all' : tab.value, limit: '50' });
      if (tab.value === 'state' && state.value) q.set('state', state.value);
      if (more && cursor.value) q.set('cursor', cursor.value);
      try {
        const r = await get('/api/v1/work-orders?' + q);
        rows.value = more ? rows.value.concat(r.items) : r.items;
        cursor.value = r.next_cursor;
      } catch (e) { ElMessage.error(e.message); }
    };
    const open = async id => {
      try { cur.value = await get('/api/v1/work-orders/' + encodeURIComponent(id)); }
      catch (e) { ElMessage.error(e.message); }
    };
    const refresh = async () => { await load(false); if (cur.value) await open(cur.value.id); };

    // Moves from the order's state the user's relation to it allows.
    const who = a => ['creator', 'handler', 'member', 'lead', 'system'].filter((_, i) => a & (1 << i));
    const moves = computed(() => {
      if (!cur.value) return [];
      const mine = who(cur.value.actors || 0);
      return meta.value.moves.filter(m => m.from === cur.value.state &&
        m.who.some(w => mine.includes(w)));
    });
    const can = computed(() => {
      const a = cur.value ? who(cur.value.actors || 0) : [];
      const open = cur.value && !['done', 'replied', 'closed'].includes(cur.value.state);
      return {
        claim: open && !cur.value.assignee && (a.includes('member') || a.includes('lead')),
        assign: open && a.includes('lead'),
        forward: open && (a.includes('member') || a.includes('handler') || a.includes('lead')),
        extend: open && (a.includes('handler') || a.includes('lead')),
      };
    });
    const pendingExt = computed(() => {
      if (!cur.value) return null;
      const asked = cur.value.history.filter(h => h.action === 'extension');
      const decided = cur.value.history.filter(h => h.action === 'extension_decision')
        .map(h => h.data && h.data.extension_id);
      const p = asked.find(h => h.data && !decided.includes(h.data.extension_id));
      return p ? p.data : null;
    });

    const doPost = async (path, body, done) => {
      busy.value = true;
      try {
        cur.value = await post('/api/v1/work-orders/' + encodeURIComponent(cur.value.id) + path, body);
        ElMessage.success(t('wo.savedOk'));
        if (done) done();
        load(false);
      } catch (e) {
        if (act.value) actError.value = e.message; else ElMessage.error(e.message);
      } finally { busy.value = false; }
    };
    const claim = () => doPost('/claim', {});
    // A move that needs a reason asks for it first.
    const move = async m => {
      let reason;
      if (m.reason) {
        try {
          ({ value: reason } = await ElMessageBox.prompt(t('wo.reasonFor', { to: stateName(m.to) }),
            t('wo.reason'), { inputValidator: v => !!(v && v.trim()) || t('wo.reasonNeeded') }));
        } catch (e) { return; }
      }
      doPost('/transitions', { to: m.to, reason });
    };
    const action = kind => {
      act.value = kind;
      actError.value = '';
      actForm.value = { user: '', department: '', reason: '', hours: 4 };
    };
    const submitAction = () => {
      const f = actForm.value, close = () => { act.value = null; };
      if (act.value === 'assign') doPost('/assign', { user: f.user }, close);
      if (act.value === 'forward') doPost('/forward', { department: f.department, reason: f.reason || undefined }, close);
      if (act.value === 'cohandle') doPost('/cohandle', { department: f.department }, close);
      if (act.value === 'return') doPost('/return', { reason: f.reason }, close);
      if (act.value === 'extend') doPost('/extensions', { seconds: Math.round(f.hours * 3600), reason: f.reason }, close);
    };
    const decide = approve => doPost('/extensions/' + pendingExt.value.extension_id, { approve });

    // The 工单统计 tab: supervisors, administrators, executives and the leads
    // of back-office departments (the department list names each lead).
    const view = ref('work');
    const reportShown = computed(() => ['admin', 'supervisor', 'executive'].includes(session.user.role) ||
      (session.user.role === 'backoffice' && depts.value.some(d => d.lead === session.user.username)));

    const created = o => { cur.value = o; tab.value = 'created'; load(false); };

    // #/workorders/ID: that order, also when this page is already open.
    const openFromHash = () => {
      const id = location.hash.split('/')[2];
      if (id && location.hash.startsWith('#/workorders/')) { view.value = 'work'; open(decodeURIComponent(id)); }
    };
    let off = null;
    onMounted(async () => {
      try { meta.value = await get('/api/v1/work-order-meta'); } catch (e) { ElMessage.error(e.message); }
      if (['admin', 'supervisor', 'backoffice', 'agent', 'executive'].includes(session.user.role)) {
        try { depts.value = (await get('/api/v1/work-order-departments')).items; } catch (e) { /* typed by id */ }
      }
      if (!session.user.department && !['admin', 'supervisor', 'executive', 'qa'].includes(session.user.role))
        tab.value = 'mine';
      load(false);
      openFromHash();
      window.addEventListener('hashchange', openFromHash);
      // Someone else changed an order we show: read it again.
      off = onEvent && onEvent(ev => {
        if (ev.type && ev.type.startsWith('ticket.')) {
          load(false);
          if (cur.value && ev.subject === cur.value.id) open(cur.value.id);
        }
      });
    });
    onUnmounted(() => {
      if (typeof off === 'function') off();
      window.removeEventListener('hashchange', openFromHash);
    });

    return { tab, state, rows, cursor, meta, depts, cur, busy, createOpen,
      created, act, actForm, actError, moves, can, pendingExt, priTag, stateTag, clockTag,
      stateName, priName, load, open, refresh, claim, move, action, submitAction, decide,
      view, reportShown, when, t, lang };
  },
  template: `
  <div class="workorders">
    <el-tabs v-if="reportShown" v-model="view" class="wo-views">
      <el-tab-pane name="work" :label="t('wor.work')" />
      <el-tab-pane name="report" :label="t('wor.tab')" />
    </el-tabs>
    <wo-report v-if="view === 'report'" :states="meta.states" />
    <el-row v-show="view === 'work'" :gutter="12">
      <el-col :span="14">
        <el-card shadow="never" class="wo-list">
          <template #header>
            <el-tabs v-model="tab" class="wo-tabs" @tab-change="load(false)">
              <el-tab-pane name="inbox" :label="t('wo.inbox')" />
              <el-tab-pane name="mine" :label="t('wo.mine')" />
              <el-tab-pane name="created" :label="t('wo.createdByMe')" />
              <el-tab-pane name="overdue" :label="t('wo.overdue')" />
              <el-tab-pane name="state" :label="t('wo.byState')" />
            </el-tabs>
            <div class="wo-bar">
              <el-select v-if="tab === 'state'" v-model="state" clearable size="small" class="wo-state"
                :placeholder="t('wo.allStates')" @change="load(false)">
                <el-option v-for="s in meta.states" :key="s.name" :value="s.name" :label="stateName(s.name)" />
              </el-select>
              <el-button size="small" @click="refresh">{{ t('common.refresh') }}</el-button>
              <el-button size="small" type="primary" class="btn-new-wo" @click="createOpen = true">{{ t('wo.new') }}</el-button>
            </div>
          </template>
          <el-table :data="rows" size="small" height="560" highlight-current-row class="wo-table"
            @row-click="r => open(r.id)" :empty-text="t('wo.empty')">
            <el-table-column prop="no" :label="t('wo.no')" width="170" />
            <el-table-column prop="title" :label="t('wo.title')" min-width="140" show-overflow-tooltip />
            <el-table-column prop="category" :label="t('wo.category')" width="84" />
            <el-table-column :label="t('wo.priority')" width="70">
              <template #default="s"><el-tag :type="priTag[s.row.priority]" size="small">{{ priName(s.row.priority) }}</el-tag></template></el-table-column>
            <el-table-column :label="t('wo.state')" width="88">
              <template #default="s"><el-tag :type="stateTag[s.row.state]" size="small" effect="plain">{{ stateName(s.row.state) }}</el-tag></template></el-table-column>
            <el-table-column prop="department_name" :label="t('wo.department')" width="84" show-overflow-tooltip />
            <el-table-column prop="assignee_name" :label="t('wo.assignee')" width="72" />
          </el-table>
          <el-button v-if="cursor" size="small" link @click="load(true)">{{ t('wo.more') }}</el-button>
        </el-card>
      </el-col>
      <el-col :span="10">
        <el-card shadow="never" class="wo-detail">
          <div v-if="!cur" class="muted">{{ t('wo.pick') }}</div>
          <template v-else>
            <div class="wo-head"><b class="wo-title">{{ cur.title }}</b>
              <el-tag :type="stateTag[cur.state]" class="wo-cur-state">{{ stateName(cur.state) }}</el-tag></div>
            <el-descriptions :column="2" size="small" border>
              <el-descriptions-item :label="t('wo.no')">{{ cur.no }}</el-descriptions-item>
              <el-descriptions-item :label="t('wo.priority')">{{ priName(cur.priority) }}</el-descriptions-item>
              <el-descriptions-item :label="t('wo.category')">{{ cur.category }} / {{ cur.service }}</el-descriptions-item>
              <el-descriptions-item :label="t('wo.customer')"><span class="wo-phone">{{ cur.customer_phone || t('common.none') }}</span></el-descriptions-item>
              <el-descriptions-item :label="t('wo.department')">{{ cur.department_name || t('common.none') }}<span v-if="cur.co_department_name"> + {{ cur.co_department_name }}</span></el-descriptions-item>
              <el-descriptions-item :label="t('wo.assignee')">{{ cur.assignee_name || t('common.none') }}</el-descriptions-item>
            </el-descriptions>
            <div v-if="cur.description" class="wo-desc">{{ cur.description }}</div>
            <div class="section-title">{{ t('wo.deadlines') }}</div>
            <div class="wo-clocks">
              <div v-for="k in ['first_response', 'update', 'completion']" :key="k" class="wo-clock" :data-clock="k">
                <span class="muted">{{ t('wo.clock.' + k) }}</span>
                <el-tag size="small" :type="clockTag[cur.deadlines[k].status]">{{ t('wo.status.' + cur.deadlines[k].status) }}</el-tag>
                <span class="muted">{{ cur.deadlines[k].due_at ? when(cur.deadlines[k].due_at) : '' }}</span>
              </div>
            </div>
            <div class="wo-actions">
              <el-button v-if="can.claim" size="small" type="primary" class="btn-claim" :loading="busy" @click="claim">{{ t('wo.claim') }}</el-button>
              <el-button v-for="m in moves" :key="m.to" size="small" :class="'btn-move-' + m.to" :loading="busy" @click="move(m)">{{ t('wo.to') }}{{ stateName(m.to) }}</el-button>
              <el-button v-if="can.assign" size="small" class="btn-assign" @click="action('assign')">{{ t('wo.assign') }}</el-button>
              <el-button v-if="can.forward" size="small" class="btn-forward" @click="action('forward')">{{ t('wo.forward') }}</el-button>
              <el-button v-if="can.forward" size="small" @click="action('cohandle')">{{ t('wo.cohandle') }}</el-button>
              <el-button v-if="can.extend" size="small" class="btn-extend" @click="action('extend')">{{ t('wo.extend') }}</el-button>
              <template v-if="pendingExt && can.assign">
                <el-button size="small" type="success" class="btn-approve" @click="decide(true)">{{ t('wo.approve') }}</el-button>
                <el-button size="small" type="danger" @click="decide(false)">{{ t('wo.refuse') }}</el-button>
              </template>
            </div>
            <wo-attach :order="cur" @changed="open(cur.id)" />
            <div class="section-title">{{ t('wo.history') }}</div>
            <el-timeline class="wo-history">
              <el-timeline-item v-for="h in cur.history" :key="h.seq" :timestamp="when(h.at)" size="small">
                <b>{{ h.actor_name || t('wo.system') }}</b> {{ t('wo.act.' + h.action) }}
                <span v-if="h.to"> → {{ stateName(h.to) }}</span>
                <span v-if="h.action.startsWith('attachment') && h.data" class="att-hist">「{{ h.data.name }}」</span>
                <span v-if="h.action === 'customer_merged' && h.data" class="muted">（{{ h.data.from_name }} → {{ h.data.into_name }}）</span>
                <span v-else-if="h.reason" class="muted">（{{ h.reason }}）</span>
              </el-timeline-item>
            </el-timeline>
          </template>
        </el-card>
      </el-col>
    </el-row>

    <wo-create v-model="createOpen" @created="created" />

    <el-dialog :model-value="!!act" @update:model-value="v => { if (!v) act = null; }" :title="act ? t('wo.' + act) : ''" width="440px">
      <el-form label-width="90px" class="wo-act-form">
        <el-form-item v-if="act === 'assign'" :label="t('wo.assignee')"><el-input v-model="actForm.user" name="user" :placeholder="t('wo.username')" /></el-form-item>
        <el-form-item v-if="act === 'forward' || act === 'cohandle'" :label="t('wo.department')">
          <el-select v-model="actForm.department" filterable allow-create class="wo-dept">
            <el-option v-for="d in depts" :key="d.department" :value="d.department" :label="d.name" /></el-select></el-form-item>
        <el-form-item v-if="act === 'extend'" :label="t('wo.hours')"><el-input-number v-model="actForm.hours" :min="0.5" :max="720" :step="0.5" /></el-form-item>
        <el-form-item v-if="['forward', 'return', 'extend'].includes(act)" :label="t('wo.reason')"><el-input v-model="actForm.reason" name="reason" /></el-form-item>
        <el-alert v-if="actError" type="error" :title="actError" :closable="false" show-icon class="form-error" />
      </el-form>
      <template #footer><el-button @click="act = null">{{ t('common.cancel') }}</el-button>
        <el-button type="primary" class="btn-act-ok" :loading="busy" @click="submitAction">{{ t('common.ok') }}</el-button></template>
    </el-dialog>
  </div>`,
};
