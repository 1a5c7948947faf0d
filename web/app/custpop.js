// custpop: the customer card of the desk's screen pop — who is calling
// (name, service level, blacklist, tags), the notes left for the next
// call (editable here, saved to the customer), and a link to the
// customer's page. A caller nobody has named yet (no record, or the one
// Hotline made by itself from the number) is a "new customer" with a
// quick form. Below it the caller's open work orders (each a link to the
// order, with its nearest deadline, red once past), a button that writes
// a new one on this call (wo_create.js, the work-order page's form), and
// the knowledge-base articles tied to the caller's IVR choice, readable
// in place. All of it comes from one request, GET /api/v1/screen-pop.
import { ref, computed, watch, onUnmounted } from 'vue';
import { ElMessage } from 'element-plus';
import { t, lang } from './i18n.js';
import { get, post, put } from './api.js';
import { onEvent, live } from './live.js';
import { when } from './util.js';
import { renderMarkdown } from './markdown.js';
import WoCreate from './wo_create.js';

export const levelTag = l => ({ vip: 'danger', gold: 'warning', silver: 'info' }[l] || '');

const priTag = { urgent: 'danger', high: 'warning', medium: '', low: 'info' };
const dueClass = { breached: 'pop-due-over', warning: 'pop-due-warn' };

export default {
  components: { WoCreate },
  props: { number: { type: String, default: '' }, ivr: { type: String, default: '' },
    callId: { type: String, default: '' } },
  setup(props) {
    const cust = ref(null);
    const loading = ref(false);
    const unknown = ref(false);
    const notes = ref('');
    const quick = ref({ name: '', company: '', notes: '' });
    const busy = ref(false);
    const orders = ref([]), articles = ref([]);
    let seq = 0;
    // By the live call when there is one: the server reads the number and
    // the IVR choice from it (a user who sees numbers masked has no other
    // way to the customer).
    const popIvr = ref('');
    const fetchPop = async n => {
      const r = await get('/api/v1/screen-pop?' + (props.callId
        ? 'call=' + encodeURIComponent(props.callId)
        : 'phone=' + encodeURIComponent(n) + (props.ivr ? '&ivr=' + encodeURIComponent(props.ivr) : '')));
      popIvr.value = r.ivr || '';
      return r;
    };
    // The choice as the caller heard it: the menu option's words when the
    // flow wrote them beside ivr.menu in the call's data (docs/ivr.md: the
    // first of these keys that is set) with the value after them, else
    // the raw value alone.
    const LABEL_KEYS = ['menu_label', '业务'];
    const ivrLabel = computed(() => {
      const c = props.callId && live.calls[props.callId];
      const d = c && c.data && c.data.ivr;
      if (!d || d.menu !== popIvr.value) return popIvr.value;
      const k = LABEL_KEYS.find(x => typeof d[x] === 'string' && d[x]);
      return k && d[k] !== popIvr.value ? `${d[k]} (${popIvr.value})` : popIvr.value;
    });
    // A new caller: everything afresh.
    const load = async () => {
      const n = props.number, mine = ++seq;
      cust.value = null;
      unknown.value = false;
      orders.value = [];
      articles.value = [];
      if (!n) return;
      loading.value = true;
      try {
        const r = await fetchPop(n);
        if (mine !== seq) return;
        cust.value = r.customer;
        orders.value = r.work_orders;
        articles.value = r.articles;
      } catch (e) { cust.value = null; }
      if (mine !== seq) return;
      loading.value = false;
      // Made by Hotline from the number alone: nobody has named them yet.
      unknown.value = !cust.value || (cust.value.source === 'call' && cust.value.name === n);
      notes.value = cust.value ? cust.value.notes : '';
      quick.value = { name: '', company: '', notes: '' };
    };
    // The same caller: the orders and articles again, the card (and the
    // notes the agent may be typing) left as they are.
    const refresh = async () => {
      const n = props.number, mine = seq;
      if (!n || loading.value) return;
      try {
        const r = await fetchPop(n);
        if (mine !== seq) return;
        orders.value = r.work_orders;
        articles.value = r.articles;
      } catch (e) { /* the list stays as it was */ }
    };
    watch(() => [props.number, props.callId], load, { immediate: true });
    watch(() => props.ivr, refresh);
    // An order shown here changed, or one was written for this caller.
    const off = onEvent(ev => {
      if (!ev.type || !ev.type.startsWith('ticket.')) return;
      const d = ev.data || {};
      if (orders.value.some(o => o.id === ev.subject) ||
          (ev.type === 'ticket.created' && d.customer_phone === props.number)) refresh();
    });
    onUnmounted(off);

    const woOpen = ref(false), woPrefill = ref(null);
    const newOrder = () => {
      // A masked number (138****8000) is no number: the server takes the
      // caller's from the call the order is written on.
      woPrefill.value = { customer_phone: props.number.includes('*') ? '' : props.number,
        call_id: props.callId };
      woOpen.value = true;
    };
    const stateName = o => (lang.value === 'en' ? o.state.replace('_', ' ') : o.state_zh || o.state);
    const dueText = d => (d.status === 'breached' ? t('pop.overdue') + ' · ' : '') +
      t('pop.clock.' + d.clock) + ' ' + when(d.due_at).slice(5, 16);

    const reading = ref(null);
    const read = async id => {
      try { reading.value = await get('/api/v1/kb/articles/' + encodeURIComponent(id)); }
      catch (e) { ElMessage.error(e.message); }
    };
    const saveNotes = async () => {
      busy.value = true;
      try {
        cust.value = await put(`/api/v1/customers/${cust.value.id}`, { notes: notes.value });
        ElMessage.success(t('cust.saved'));
      } catch (e) { ElMessage.error(e.message); }
      busy.value = false;
    };
    const create = async () => {
      if (!quick.value.name) { ElMessage.error(t('cust.needName')); return; }
      busy.value = true;
      try {
        if (!cust.value) {
          // Hotline makes a new caller a customer from the number alone,
          // through the writer: the pop may have asked before that was
          // done, and the number is then taken (409). Name that customer.
          const r = await fetchPop(props.number).catch(() => null);
          if (r && r.customer) cust.value = r.customer;
        }
        cust.value = cust.value
          ? await put(`/api/v1/customers/${cust.value.id}`, quick.value)
          : await post('/api/v1/customers', { ...quick.value, phones: [props.number] });
        unknown.value = false;
        notes.value = cust.value.notes;
        ElMessage.success(t('cust.saved'));
      } catch (e) { ElMessage.error(e.message); }
      busy.value = false;
    };
    return { cust, loading, unknown, notes, quick, busy, saveNotes, create, levelTag, t,
      orders, articles, popIvr, ivrLabel, woOpen, woPrefill, newOrder, refresh, stateName, dueText, priTag, dueClass,
      reading, read, renderMarkdown };
  },
  template: `
  <div class="cust-pop" v-loading="loading">
    <template v-if="cust && !unknown">
      <div class="row cust-head">
        <b class="cust-name" data-field="cust-name">{{ cust.name }}</b>
        <el-tag :type="levelTag(cust.level)" :effect="cust.level === 'normal' ? 'plain' : 'dark'" size="small" class="cust-level"
                :data-level="cust.level">{{ t('cust.level.' + cust.level) }}</el-tag>
        <el-tag v-if="cust.blacklisted" type="danger" size="small">{{ t('cust.blacklisted') }}</el-tag>
        <span class="muted">{{ cust.company }}</span>
        <span class="spacer"></span>
        <a :href="'#/customers/' + cust.id" class="cust-link">{{ t('cust.open') }}</a>
      </div>
      <div class="cust-tags">
        <el-tag v-for="g in cust.tags" :key="g" size="small" effect="plain" class="cust-tag">{{ g }}</el-tag>
        <span v-if="cust.owner" class="muted">{{ t('cust.owner') }} {{ cust.owner }}</span>
      </div>
      <div class="cust-notes">
        <el-input v-model="notes" type="textarea" :rows="2" maxlength="2000"
                  :placeholder="t('cust.notesHint')" class="cust-notes-input" />
        <el-button size="small" :loading="busy" :disabled="notes === cust.notes" @click="saveNotes"
                   class="btn-notes">{{ t('cust.saveNotes') }}</el-button>
      </div>
    </template>
    <template v-else-if="number">
      <div class="row cust-head"><el-tag type="success" effect="dark" class="cust-new">{{ t('cust.new') }}</el-tag>
        <span class="muted">{{ t('cust.newHint') }}</span></div>
      <el-form inline size="small" class="cust-quick" @submit.prevent>
        <el-form-item :label="t('cust.name')"><el-input v-model="quick.name" class="quick-name" /></el-form-item>
        <el-form-item :label="t('cust.company')"><el-input v-model="quick.company" /></el-form-item>
        <el-form-item :label="t('cust.notes')"><el-input v-model="quick.notes" class="quick-notes" /></el-form-item>
        <el-form-item><el-button type="primary" :loading="busy" @click="create" class="btn-quick">{{ t('cust.create') }}</el-button></el-form-item>
      </el-form>
    </template>
    <div class="pop-slot pop-orders" data-slot="work-orders">
      <div class="row pop-slot-head">
        <b>{{ t('pop.orders') }}</b><span class="muted pop-count">{{ orders.length }}</span>
        <span class="spacer"></span>
        <el-button v-if="number" size="small" type="primary" plain class="btn-pop-new-wo" @click="newOrder">＋ {{ t('wo.new') }}</el-button>
      </div>
      <div v-if="!orders.length" class="muted pop-none">{{ t('pop.noOrders') }}</div>
      <a v-for="o in orders" :key="o.id" :href="'#/workorders/' + o.id" class="pop-order" :data-id="o.id">
        <span class="pop-order-no">{{ o.no }}</span>
        <span class="pop-order-title" :title="o.title">{{ o.title }}</span>
        <el-tag size="small" effect="plain" class="pop-order-state">{{ stateName(o) }}</el-tag>
        <el-tag size="small" :type="priTag[o.priority]" class="pop-order-pri">{{ t('pop.pri.' + o.priority) }}</el-tag>
        <span v-if="o.deadline" class="pop-order-due" :class="dueClass[o.deadline.status]"
              :data-status="o.deadline.status">{{ dueText(o.deadline) }}</span>
        <span v-else-if="o.state === 'done' && o.reply_needed" class="pop-order-due pop-due-warn">{{ t('pop.toReply') }}</span>
        <span v-else class="pop-order-due muted">{{ t('pop.noDue') }}</span>
      </a>
    </div>
    <div v-if="articles.length" class="pop-slot pop-kb" data-slot="kb">
      <div class="row pop-slot-head"><b>{{ t('pop.kb') }}</b>
        <span class="muted"><span class="pop-ivr" :data-ivr="popIvr">{{ t('pop.kbFor', { ivr: ivrLabel }) }}</span></span></div>
      <div v-for="a in articles" :key="a.id" class="pop-article" :data-id="a.id" @click="read(a.id)">
        <span class="pop-article-title">{{ a.title }}</span>
        <span class="muted pop-article-snippet" v-html="a.snippet"></span>
      </div>
    </div>
    <wo-create v-model="woOpen" :prefill="woPrefill" @created="refresh" />
    <el-dialog :model-value="!!reading" @update:model-value="v => { if (!v) reading = null; }"
               :title="reading ? reading.title : ''" width="640px" append-to-body class="pop-article-dialog">
      <div v-if="reading" class="kb-body" v-html="renderMarkdown(reading.body)"></div>
    </el-dialog>
  </div>`,
};
