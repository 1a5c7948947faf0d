// customers: the customer records page (客户资料) — search by name,
// company, number or tag, keyset pages, and a drawer with the whole
// customer: phones, tags, service level, owner, blacklist, custom fields,
// notes, and the contact history (calls with their recordings, notes, and
// what work orders and tasks add). Deleted customers are listed apart and
// restored from there. #/customers/ID opens that customer's drawer (the
// desk's screen pop links here). Administrators define the custom fields.
// Leads switch to the 重复客户 view (custdup.js) to merge duplicates.
import { ref, computed, onMounted, watch } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { t, lang } from './i18n.js';
import { get, post, put, del, session, withToken } from './api.js';
import { when, clock } from './util.js';
import { levelTag } from './custpop.js';
import CustDups from './custdup.js';

const LEVELS = ['normal', 'silver', 'gold', 'vip'];
const blank = () => ({ name: '', company: '', region: '', level: 'normal', owner: '', notes: '',
  blacklisted: false, blacklist_reason: '', phones: [{ number: '', label: '' }], tags: [], fields: {} });

export default {
  components: { CustDups },
  setup() {
    const role = session.user.role;
    const view = ref('list');
    const lead = ['admin', 'supervisor'].includes(role);
    const writer = lead || ['agent', 'backoffice'].includes(role);
    const filter = ref({ q: '', tag: '', level: '', blacklisted: '', deleted: false });
    const items = ref([]);
    const next = ref(null);
    const loading = ref(false);
    const defs = ref([]);

    const query = cursor => {
      const p = new URLSearchParams({ limit: '30' });
      const f = filter.value;
      if (f.q) p.set('q', f.q);
      if (f.tag) p.set('tag', f.tag);
      if (f.level) p.set('level', f.level);
      if (f.blacklisted) p.set('blacklisted', f.blacklisted);
      if (f.deleted) p.set('deleted', 'true');
      if (cursor) p.set('cursor', cursor);
      return '/api/v1/customers?' + p;
    };
    const load = async more => {
      loading.value = true;
      try {
        const r = await get(query(more ? next.value : null));
        items.value = more ? items.value.concat(r.items) : r.items;
        next.value = r.next_cursor;
      } catch (e) { ElMessage.error(e.message); }
      loading.value = false;
    };
    const loadDefs = async () => {
      try { defs.value = (await get('/api/v1/customer-fields')).items; } catch (e) { defs.value = []; }
    };

    // The drawer: one customer (or a new one), its form and its history.
    const open = ref(false);
    const tab = ref('info');
    const form = ref(blank());
    const current = ref(null);
    const history = ref([]);
    const busy = ref(false);
    const edit = async id => {
      tab.value = 'info';
      history.value = [];
      if (!id) {
        current.value = null;
        form.value = blank();
        open.value = true;
        return;
      }
      try {
        const r = await get(`/api/v1/customers/${id}/history`);
        current.value = r.customer;
        history.value = r.items;
        const c = r.customer;
        form.value = { name: c.name, company: c.company, region: c.region, level: c.level,
          owner: c.owner, notes: c.notes, blacklisted: c.blacklisted,
          blacklist_reason: c.blacklist_reason, tags: [...c.tags], fields: { ...c.fields },
          phones: c.phones.length ? c.phones.map(p => ({ ...p })) : [{ number: '', label: '' }] };
        open.value = true;
      } catch (e) { ElMessage.error(e.message); }
    };
    const body = () => {
      const f = form.value;
      const b = { name: f.name, company: f.company, region: f.region, notes: f.notes,
        tags: f.tags, phones: f.phones.filter(p => p.number).map(p => ({ number: p.number, label: p.label || '' })),
        fields: {} };
      for (const d of defs.value) {
        const v = f.fields[d.name];
        if (v !== undefined && v !== '') b.fields[d.name] = v;
        else if (current.value && current.value.fields[d.name] !== undefined) b.fields[d.name] = null;
      }
      if (lead) Object.assign(b, { level: f.level, owner: f.owner, blacklisted: f.blacklisted,
        blacklist_reason: f.blacklist_reason });
      return b;
    };
    const save = async () => {
      busy.value = true;
      try {
        const c = current.value ? await put(`/api/v1/customers/${current.value.id}`, body())
          : await post('/api/v1/customers', body());
        ElMessage.success(t('cust.saved'));
        await load(false);
        await edit(c.id);
      } catch (e) { ElMessage.error(e.message); }
      busy.value = false;
    };
    const remove = async () => {
      try {
        await ElMessageBox.confirm(t('cust.deleteAsk', { name: current.value.name }), t('cust.delete'),
          { type: 'warning', confirmButtonText: t('common.ok'), cancelButtonText: t('common.cancel') });
      } catch (e) { return; }
      try {
        await del(`/api/v1/customers/${current.value.id}`);
        ElMessage.success(t('cust.deleted'));
        open.value = false;
        load(false);
      } catch (e) { ElMessage.error(e.message); }
    };
    const restore = async row => {
      try {
        await post(`/api/v1/customers/${row.id}/restore`);
        ElMessage.success(t('cust.restored'));
        open.value = false;
        load(false);
      } catch (e) { ElMessage.error(e.message); }
    };

    // Custom field definitions (administrators).
    const fieldsOpen = ref(false);
    const newDef = ref({ name: '', label: '', type: 'text', options: '', required: false });
    const addDef = async () => {
      const d = newDef.value;
      try {
        await post('/api/v1/customer-fields', { name: d.name, label: d.label, type: d.type,
          required: d.required, options: d.options ? d.options.split(/[,，]/).map(s => s.trim()).filter(Boolean) : [] });
        newDef.value = { name: '', label: '', type: 'text', options: '', required: false };
        loadDefs();
      } catch (e) { ElMessage.error(e.message); }
    };
    const dropDef = async d => {
      try { await del(`/api/v1/customer-fields/${d.name}`); loadDefs(); } catch (e) { ElMessage.error(e.message); }
    };

    // #/customers/ID opens that customer.
    const fromHash = () => {
      const m = location.hash.match(/^#\/customers\/([0-9a-f]+)/);
      if (m) edit(m[1]);
    };
    window.addEventListener('hashchange', fromHash);
    watch(() => filter.value.deleted, () => load(false));
    onMounted(() => { load(false); loadDefs(); fromHash(); });
    const firstPhone = r => (r.phones[0] ? r.phones[0].number : '') +
      (r.phones.length > 1 ? ` +${r.phones.length - 1}` : '');
    const deleted = computed(() => current.value && current.value.deleted_at);
    const merged = id => { load(false); edit(id); };
    return { view, merged, filter, items, next, loading, load, defs, open, tab, form, current, history, busy,
      edit, save, remove, restore, fieldsOpen, newDef, addDef, dropDef, firstPhone, deleted,
      lead, writer, role, LEVELS, levelTag, when, clock, withToken, t, lang };
  },
  template: `
  <div class="customers">
    <el-radio-group v-if="lead" v-model="view" class="cust-view" style="margin-bottom: 8px">
      <el-radio-button value="list" class="view-list">{{ t('cust.view.list') }}</el-radio-button>
      <el-radio-button value="dups" class="view-dups">{{ t('cust.view.dups') }}</el-radio-button>
    </el-radio-group>
    <cust-dups v-if="view === 'dups'" @merged="merged" />
    <template v-else>
    <el-card shadow="never" class="cust-bar">
      <div class="row">
        <el-input v-model="filter.q" :placeholder="t('cust.search')" clearable class="cust-q"
                  @keyup.enter="load(false)" @clear="load(false)" />
        <el-input v-model="filter.tag" :placeholder="t('cust.tag')" clearable class="cust-tagq"
                  @keyup.enter="load(false)" @clear="load(false)" />
        <el-select v-model="filter.level" :placeholder="t('cust.levelAll')" clearable class="cust-levelq"
                   @change="load(false)">
          <el-option v-for="l in LEVELS" :key="l" :value="l" :label="t('cust.level.' + l)" />
        </el-select>
        <el-select v-model="filter.blacklisted" :placeholder="t('cust.blackAll')" clearable class="cust-blackq"
                   @change="load(false)">
          <el-option value="true" :label="t('cust.blacklisted')" />
          <el-option value="false" :label="t('cust.notBlacklisted')" />
        </el-select>
        <el-button type="primary" @click="load(false)" class="btn-search">{{ t('cust.find') }}</el-button>
        <el-switch v-model="filter.deleted" :active-text="t('cust.showDeleted')" class="cust-deleted" />
        <span class="spacer"></span>
        <el-button v-if="role === 'admin'" @click="fieldsOpen = true" class="btn-fields">{{ t('cust.fieldDefs') }}</el-button>
        <el-button v-if="writer" type="success" @click="edit(null)" class="btn-new">{{ t('cust.add') }}</el-button>
      </div>
    </el-card>
    <el-table :data="items" v-loading="loading" stripe size="default" class="cust-table"
              :empty-text="t('cust.none')" @row-click="r => edit(r.id)" :height="lead ? 'calc(100vh - 290px)' : 'calc(100vh - 250px)'">
      <el-table-column :label="t('cust.name')" min-width="120">
        <template #default="s"><b>{{ s.row.name }}</b>
          <el-tag v-if="s.row.blacklisted" type="danger" size="small" class="black-mark">{{ t('cust.black') }}</el-tag>
        </template>
      </el-table-column>
      <el-table-column :label="t('cust.phones')" min-width="130"><template #default="s">{{ firstPhone(s.row) }}</template></el-table-column>
      <el-table-column :label="t('cust.company')" prop="company" min-width="130" show-overflow-tooltip />
      <el-table-column :label="t('cust.levelCol')" width="90">
        <template #default="s"><el-tag :type="levelTag(s.row.level)" size="small">{{ t('cust.level.' + s.row.level) }}</el-tag></template>
      </el-table-column>
      <el-table-column :label="t('cust.tags')" min-width="140">
        <template #default="s"><el-tag v-for="g in s.row.tags" :key="g" size="small" effect="plain" class="cust-tag">{{ g }}</el-tag></template>
      </el-table-column>
      <el-table-column :label="t('cust.owner')" prop="owner" width="80" />
      <el-table-column :label="t('cust.updated')" width="185"><template #default="s">{{ when(s.row.updated_at) }}</template></el-table-column>
      <el-table-column v-if="filter.deleted && lead" width="90">
        <template #default="s"><el-button size="small" type="warning" @click.stop="restore(s.row)" class="btn-restore">{{ t('cust.restore') }}</el-button></template>
      </el-table-column>
    </el-table>
    <div class="more"><el-button v-if="next" @click="load(true)" class="btn-more">{{ t('cust.more') }}</el-button></div>
    </template>

    <el-drawer v-model="open" size="600px" :title="current ? current.name : t('cust.add')" class="cust-drawer">
      <el-alert v-if="deleted" type="warning" :closable="false" show-icon :title="t('cust.isDeleted')" />
      <el-tabs v-model="tab">
        <el-tab-pane :label="t('cust.info')" name="info">
          <el-form label-width="96px" size="default" class="cust-form" @submit.prevent>
            <el-form-item :label="t('cust.name')" required><el-input v-model="form.name" class="f-name" /></el-form-item>
            <el-form-item :label="t('cust.company')"><el-input v-model="form.company" /></el-form-item>
            <el-form-item :label="t('cust.region')"><el-input v-model="form.region" /></el-form-item>
            <el-form-item :label="t('cust.phones')">
              <div v-for="(p, i) in form.phones" :key="i" class="phone-row">
                <el-input v-model="p.number" :placeholder="t('cust.number')" class="f-phone" />
                <el-input v-model="p.label" :placeholder="t('cust.phoneLabel')" class="f-plabel" />
                <el-button link type="danger" @click="form.phones.splice(i, 1)">✕</el-button>
              </div>
              <el-button link type="primary" @click="form.phones.push({ number: '', label: '' })">+ {{ t('cust.addPhone') }}</el-button>
            </el-form-item>
            <el-form-item :label="t('cust.tags')">
              <el-select v-model="form.tags" multiple filterable allow-create default-first-option
                         :placeholder="t('cust.tagsHint')" class="f-tags" />
            </el-form-item>
            <el-form-item :label="t('cust.levelCol')">
              <el-radio-group v-model="form.level" :disabled="!lead" class="f-level">
                <el-radio-button v-for="l in LEVELS" :key="l" :value="l">{{ t('cust.level.' + l) }}</el-radio-button>
              </el-radio-group>
            </el-form-item>
            <el-form-item :label="t('cust.owner')"><el-input v-model="form.owner" :disabled="!lead" :placeholder="t('cust.ownerHint')" class="f-owner" /></el-form-item>
            <el-form-item :label="t('cust.blacklist')">
              <el-switch v-model="form.blacklisted" :disabled="!lead" class="f-black" />
              <el-input v-if="form.blacklisted" v-model="form.blacklist_reason" :disabled="!lead"
                        :placeholder="t('cust.blackReason')" class="f-reason" />
            </el-form-item>
            <el-form-item v-for="d in defs" :key="d.name" :label="d.label" :required="d.required">
              <el-select v-if="d.type === 'choice'" v-model="form.fields[d.name]" clearable :data-field="d.name">
                <el-option v-for="o in d.options" :key="o" :value="o" :label="o" />
              </el-select>
              <el-date-picker v-else-if="d.type === 'date'" v-model="form.fields[d.name]" type="date"
                              value-format="YYYY-MM-DD" :data-field="d.name" />
              <el-input v-else v-model="form.fields[d.name]" :data-field="d.name" />
            </el-form-item>
            <el-form-item :label="t('cust.notes')">
              <el-input v-model="form.notes" type="textarea" :rows="3" maxlength="2000" show-word-limit class="f-notes" />
            </el-form-item>
            <el-form-item>
              <el-button v-if="!deleted && writer" type="primary" :loading="busy" @click="save" class="btn-save">{{ t('cust.save') }}</el-button>
              <el-button v-if="current && !deleted && lead" type="danger" plain @click="remove" class="btn-delete">{{ t('cust.delete') }}</el-button>
              <el-button v-if="deleted && lead" type="warning" @click="restore(current)" class="btn-restore">{{ t('cust.restore') }}</el-button>
            </el-form-item>
          </el-form>
        </el-tab-pane>
        <el-tab-pane v-if="current" :label="t('cust.history')" name="history">
          <el-timeline class="cust-history">
            <el-timeline-item v-for="(h, i) in history" :key="i" :timestamp="when(h.at)" placement="top"
                              :type="h.kind === 'call' ? (h.answered ? 'success' : 'warning') : 'primary'">
              <template v-if="h.kind === 'call'">
                <b>{{ t('cust.kind.call') }}</b> {{ h.from }} → {{ h.to }}
                <span v-if="h.agent">· {{ h.agent }}</span> · {{ clock(h.talk_s) }}
                <el-tag v-if="h.hangup_cause === 'blacklisted'" type="danger" size="small">{{ t('cust.refused') }}</el-tag>
                <div v-if="h.recording" class="rec-row"><span class="muted">{{ t('cust.recording') }}</span>
                  <audio :src="withToken('/api/v1/calls/' + h.id + '/recording')" controls preload="none" class="rec-audio"></audio></div>
              </template>
              <template v-else-if="h.kind === 'note'"><b>{{ t('cust.kind.note') }}</b> {{ h.by }}：{{ h.body }}</template>
              <template v-else-if="h.kind === 'work_order'"><b>{{ t('cust.kind.work_order') }}</b>
                <a :href="'#/workorders/' + encodeURIComponent(h.id)" class="hist-link hist-wo" :data-id="h.id">{{ h.no ? h.no + ' ' : '' }}{{ h.title }}</a>
                <el-tag size="small" type="info">{{ lang === 'en' || !h.state_zh ? h.state.replace('_', ' ') : h.state_zh }}</el-tag>
                <span v-if="h.department" class="muted"> · {{ h.department }}</span></template>
              <template v-else-if="h.kind === 'task'"><b>{{ t('cust.kind.task') }}</b>
                <a :href="'#/tasks/' + encodeURIComponent(h.id)" class="hist-link hist-task" :data-id="h.id">{{ h.title }}</a>
                <el-tag size="small" type="info">{{ t('tasks.state.' + h.state) }}</el-tag>
                <span class="muted"> · {{ t('todo.due') }} {{ when(h.due) }}</span></template>
              <template v-else><b>{{ t('cust.kind.' + h.kind) }}</b> {{ h.title || h.body || '' }}</template>
            </el-timeline-item>
          </el-timeline>
          <div v-if="!history.length" class="muted">{{ t('cust.noHistory') }}</div>
        </el-tab-pane>
      </el-tabs>
    </el-drawer>

    <el-dialog v-model="fieldsOpen" :title="t('cust.fieldDefs')" width="640px" class="fields-dialog">
      <el-table :data="defs" size="small">
        <el-table-column :label="t('cust.fieldName')" prop="name" />
        <el-table-column :label="t('cust.fieldLabel')" prop="label" />
        <el-table-column :label="t('cust.fieldType')"><template #default="s">{{ t('cust.type.' + s.row.type) }}</template></el-table-column>
        <el-table-column :label="t('cust.fieldOptions')"><template #default="s">{{ s.row.options.join('，') }}</template></el-table-column>
        <el-table-column width="70"><template #default="s"><el-button link type="danger" @click="dropDef(s.row)">{{ t('cust.delete') }}</el-button></template></el-table-column>
      </el-table>
      <el-form inline size="small" class="def-form" @submit.prevent>
        <el-input v-model="newDef.name" :placeholder="t('cust.fieldName')" class="d-name" />
        <el-input v-model="newDef.label" :placeholder="t('cust.fieldLabel')" class="d-label" />
        <el-select v-model="newDef.type" class="d-type">
          <el-option v-for="ty in ['text', 'number', 'date', 'choice']" :key="ty" :value="ty" :label="t('cust.type.' + ty)" />
        </el-select>
        <el-input v-if="newDef.type === 'choice'" v-model="newDef.options" :placeholder="t('cust.fieldOptions')" class="d-options" />
        <el-checkbox v-model="newDef.required">{{ t('cust.required') }}</el-checkbox>
        <el-button type="primary" @click="addDef" class="btn-adddef">{{ t('cust.addField') }}</el-button>
      </el-form>
    </el-dialog>
  </div>`,
};
