// notices: 公告. The inbox (消息, on the personal page): the live notices of
// my audience, unread ones marked, opened to read (which is the receipt);
// refreshed when notice.published reaches me. The publishers' section
// (on the tasks page): every notice with its audience, publish / edit /
// withdraw, and the receipts — who in the audience read it, when.
import { ref, computed, onMounted, onUnmounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { t } from './i18n.js';
import { get, post, put, del } from './api.js';
import { onEvent } from './live.js';
import { when } from './util.js';

export const unread = ref(0);

export default {
  setup() {
    const items = ref([]);
    const open = ref(null);
    const load = async () => {
      try {
        const r = await get('/api/v1/notices');
        items.value = r.items;
        unread.value = r.unread;
      } catch (e) { ElMessage.error(e.message); }
    };
    const read = async n => {
      open.value = n;
      if (n.read) return;
      try {
        await post(`/api/v1/notices/${n.id}/read`);
        await load();
      } catch (e) { ElMessage.error(e.message); }
    };
    const off = onEvent(ev => { if (ev.type === 'notice.published') load(); });
    onMounted(load);
    onUnmounted(off);
    return { items, open, read, unread, when, t };
  },
  template: `
  <el-card shadow="never" class="inbox">
    <template #header><div class="row">
      <b>{{ t('notice.inbox') }}</b>
      <el-badge :value="unread" :hidden="!unread" class="inbox-unread" />
    </div></template>
    <div v-if="!items.length" class="muted">{{ t('notice.none') }}</div>
    <div v-for="n in items" :key="n.id" class="notice-item" :class="{ unread: !n.read }" @click="read(n)">
      <el-badge is-dot :hidden="n.read" class="notice-dot"><b class="notice-title">{{ n.title }}</b></el-badge>
      <span class="muted notice-when">{{ when(n.created_at).slice(0, 16) }} · {{ n.created_by }}</span>
    </div>
    <el-dialog :model-value="!!open" @update:model-value="v => { if (!v) open = null; }" :title="open && open.title" width="520px" class="notice-dialog">
      <div v-if="open" class="notice-body">{{ open.body }}</div>
      <div v-if="open" class="muted">{{ when(open.created_at) }} · {{ open.created_by }}</div>
    </el-dialog>
  </el-card>`,
};

const roles = ['agent', 'supervisor', 'qa', 'backoffice', 'executive', 'admin'];

export const NoticeAdmin = {
  setup() {
    const items = ref([]);
    const depts = ref([]);
    const edit = ref(null);
    const receipts = ref(null);
    const load = async () => {
      try {
        items.value = (await get('/api/v1/notices?all=1')).items;
      } catch (e) { ElMessage.error(e.message); }
      try {
        depts.value = (await get('/api/v1/departments')).items || [];
      } catch (e) { depts.value = []; }   /* supervisors may not list them */
    };
    const deptName = id => (depts.value.find(d => d.id === id) || {}).name || id;
    const create = () => { edit.value = { title: '', body: '', roles: [], departments: [], expires_at: null }; };
    const change = n => { edit.value = { ...n, roles: [...n.roles], departments: [...n.departments] }; };
    const save = async () => {
      const e = edit.value;
      const body = { title: e.title, body: e.body, roles: e.roles, departments: e.departments,
        expires_at: e.expires_at ? new Date(e.expires_at).toISOString().replace(/\.\d+Z$/, 'Z') : null };
      try {
        if (e.id) await put(`/api/v1/notices/${e.id}`, body);
        else await post('/api/v1/notices', body);
        ElMessage.success(t('notice.published'));
        edit.value = null;
        await load();
      } catch (err) { ElMessage.error(err.message); }
    };
    const remove = async n => {
      try {
        await ElMessageBox.confirm(t('notice.withdrawAsk', { title: n.title }), t('notice.withdraw'),
          { confirmButtonText: t('common.ok'), cancelButtonText: t('common.cancel'), type: 'warning' });
      } catch (e) { return; }
      try { await del(`/api/v1/notices/${n.id}`); await load(); } catch (e) { ElMessage.error(e.message); }
    };
    const showReceipts = async n => {
      try { receipts.value = { title: n.title, ...(await get(`/api/v1/notices/${n.id}/receipts`)) }; } catch (e) { ElMessage.error(e.message); }
    };
    const audience = n => [...n.roles.map(r => t('role.' + r)), ...n.departments.map(deptName)].join('、') || t('notice.everyone');
    onMounted(load);
    return { items, depts, edit, receipts, roles, create, change, save, remove, showReceipts, audience, when, t };
  },
  template: `
  <div class="notice-admin">
    <div class="row toolbar"><el-button type="primary" class="btn-notice-new" @click="create">{{ t('notice.new') }}</el-button></div>
    <el-table :data="items" size="small" :empty-text="t('notice.none')" class="notice-table">
      <el-table-column :label="t('notice.titleCol')" prop="title" min-width="160" />
      <el-table-column :label="t('notice.audience')" min-width="160"><template #default="s">{{ audience(s.row) }}</template></el-table-column>
      <el-table-column :label="t('notice.when')" width="150"><template #default="s">{{ when(s.row.created_at).slice(0, 16) }}</template></el-table-column>
      <el-table-column :label="t('notice.expires')" width="150"><template #default="s">{{ s.row.expires_at ? when(s.row.expires_at).slice(0, 16) : t('notice.never') }}</template></el-table-column>
      <el-table-column width="200"><template #default="s">
        <el-button size="small" link type="primary" class="btn-receipts" @click="showReceipts(s.row)">{{ t('notice.receipts') }}</el-button>
        <el-button size="small" link @click="change(s.row)">{{ t('common.edit') }}</el-button>
        <el-button size="small" link type="danger" @click="remove(s.row)">{{ t('notice.withdraw') }}</el-button>
      </template></el-table-column>
    </el-table>
    <el-dialog :model-value="!!edit" @update:model-value="v => { if (!v) edit = null; }" :title="t('notice.new')" width="560px" class="notice-edit">
      <el-form v-if="edit" label-width="90px">
        <el-form-item :label="t('notice.titleCol')"><el-input v-model="edit.title" maxlength="200" class="notice-title-in" /></el-form-item>
        <el-form-item :label="t('notice.body')"><el-input v-model="edit.body" type="textarea" :rows="5" class="notice-body-in" /></el-form-item>
        <el-form-item :label="t('notice.roles')">
          <el-select v-model="edit.roles" multiple :placeholder="t('notice.everyone')" class="notice-roles">
            <el-option v-for="r in roles" :key="r" :value="r" :label="t('role.' + r)" />
          </el-select>
        </el-form-item>
        <el-form-item :label="t('notice.depts')">
          <el-select v-model="edit.departments" multiple :placeholder="t('notice.everyone')">
            <el-option v-for="d in depts" :key="d.id" :value="d.id" :label="d.name" />
          </el-select>
        </el-form-item>
        <el-form-item :label="t('notice.expires')"><el-date-picker v-model="edit.expires_at" type="datetime" /></el-form-item>
      </el-form>
      <template #footer>
        <el-button @click="edit = null">{{ t('common.cancel') }}</el-button>
        <el-button type="primary" class="btn-notice-save" @click="save">{{ t('notice.publish') }}</el-button>
      </template>
    </el-dialog>
    <el-dialog :model-value="!!receipts" @update:model-value="v => { if (!v) receipts = null; }" :title="receipts && receipts.title" width="520px" class="receipts-dialog">
      <template v-if="receipts">
        <div class="receipt-count">{{ t('notice.readOf', { r: receipts.read, n: receipts.total }) }}</div>
        <el-table :data="receipts.items" size="small" max-height="320">
          <el-table-column :label="t('login.user')" prop="username" />
          <el-table-column :label="t('users.role')"><template #default="s">{{ t('role.' + s.row.role) }}</template></el-table-column>
          <el-table-column :label="t('notice.readAt')"><template #default="s">
            <span :class="{ muted: !s.row.read_at }">{{ s.row.read_at ? when(s.row.read_at) : t('notice.unread') }}</span>
          </template></el-table-column>
        </el-table>
      </template>
    </el-dialog>
  </div>`,
};
