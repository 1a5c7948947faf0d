// users: the administrator's list of people who sign in (用户管理) — role,
// department, extension, data scope (高管级 all / 管理级 departments / 普通级
// own) and number masking — with create, edit and delete. The server checks
// every field; its reason is shown next to the form, as it said it.
import { ref, onMounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { t } from './i18n.js';
import { get, post, put, del } from './api.js';
import { when } from './util.js';

const roles = ['admin', 'executive', 'supervisor', 'qa', 'backoffice', 'agent'];
// '' keeps the role's default (the server's: supervisors departments, agents
// and back office own, the others all).
const scopes = ['all', 'departments', 'own'];

export default {
  setup() {
    const users = ref([]), depts = ref([]), exts = ref([]);
    const dialog = ref(false), editing = ref(null), error = ref('');
    const form = ref({});
    const load = async () => {
      try {
        const [u, d, e] = await Promise.all([get('/api/v1/users'),
          get('/api/v1/departments'), get('/api/v1/extensions')]);
        users.value = u.items;
        depts.value = d.items || [];
        exts.value = e.items;
      } catch (err) { ElMessage.error(err.message); }
    };
    const deptName = id => (depts.value.find(d => d.id === id) || {}).name || '—';
    const create = () => {
      editing.value = null;
      error.value = '';
      form.value = { username: '', password: '', role: 'agent', display_name: '',
        extension: '', department: '', scope: '', mask_numbers: false };
      dialog.value = true;
    };
    const edit = u => {
      editing.value = u.username;
      error.value = '';
      form.value = { role: u.role, display_name: u.display_name,
        extension: u.extension || '', department: u.department || '', password: '',
        scope: u.scope || '', mask_numbers: !!u.mask_numbers };
      dialog.value = true;
    };
    const save = async () => {
      const body = { ...form.value };
      if (!body.password) delete body.password;
      if (!editing.value) {
        for (const k of ['extension', 'department', 'scope']) if (!body[k]) delete body[k];
      } else {
        // Sent only when changed: the shown scope may be the role's default,
        // which must stay a default (it follows a new role).
        const was = users.value.find(u => u.username === editing.value) || {};
        if (body.scope === (was.scope || '')) delete body.scope;
        else if (!body.scope) body.scope = null;
        if (body.mask_numbers === !!was.mask_numbers) delete body.mask_numbers;
      }
      try {
        if (editing.value) await put('/api/v1/users/' + encodeURIComponent(editing.value), body);
        else await post('/api/v1/users', body);
        dialog.value = false;
        load();
      } catch (err) { error.value = err.message; }
    };
    const remove = async u => {
      try {
        await ElMessageBox.confirm(u.username, t('common.delete'), { type: 'warning' });
        await del('/api/v1/users/' + encodeURIComponent(u.username));
        load();
      } catch (err) { if (err && err.message) ElMessage.error(err.message); }
    };
    onMounted(load);
    return { users, depts, exts, dialog, editing, error, form, roles, scopes, deptName,
      create, edit, save, remove, t, when };
  },
  template: `
  <el-card shadow="never">
    <template #header>
      <b>{{ t('nav.users') }}</b>
      <el-button type="primary" size="small" class="right" @click="create">{{ t('common.create') }}</el-button>
    </template>
    <el-table :data="users" size="default" class="user-table">
      <el-table-column prop="username" :label="t('login.user')" width="140" />
      <el-table-column prop="display_name" :label="t('users.name')" width="140" />
      <el-table-column :label="t('users.role')" width="120"><template #default="s">{{ t('role.' + s.row.role) }}</template></el-table-column>
      <el-table-column :label="t('users.dept')"><template #default="s">{{ deptName(s.row.department) }}</template></el-table-column>
      <el-table-column prop="extension" :label="t('desk.ext')" width="90" />
      <el-table-column :label="t('users.scope')" width="150"><template #default="s">{{ t('scope.' + s.row.scope) }}</template></el-table-column>
      <el-table-column :label="t('users.mask')" width="90"><template #default="s">{{ s.row.mask_numbers ? '✓' : '' }}</template></el-table-column>
      <el-table-column :label="t('users.created')" width="170"><template #default="s">{{ when(s.row.created_at) }}</template></el-table-column>
      <el-table-column width="130"><template #default="s">
        <el-button size="small" link type="primary" @click="edit(s.row)">{{ t('common.edit') }}</el-button>
        <el-button size="small" link type="danger" @click="remove(s.row)">{{ t('common.delete') }}</el-button>
      </template></el-table-column>
    </el-table>
    <el-dialog v-model="dialog" :title="editing ? t('common.edit') + ' ' + editing : t('common.create')" width="480px">
      <el-form label-width="110px" @submit.prevent="save">
        <el-form-item v-if="!editing" :label="t('login.user')"><el-input v-model="form.username" name="new-username" /></el-form-item>
        <el-form-item :label="t('login.password')"><el-input v-model="form.password" type="password" show-password name="new-password" :placeholder="editing ? t('users.keep') : ''" /></el-form-item>
        <el-form-item :label="t('users.name')"><el-input v-model="form.display_name" /></el-form-item>
        <el-form-item :label="t('users.role')">
          <el-select v-model="form.role" name="role"><el-option v-for="r in roles" :key="r" :value="r" :label="t('role.' + r)" /></el-select>
        </el-form-item>
        <el-form-item :label="t('users.dept')">
          <el-select v-model="form.department" clearable><el-option v-for="d in depts" :key="d.id" :value="d.id" :label="d.name" /></el-select>
        </el-form-item>
        <el-form-item :label="t('desk.ext')">
          <el-select v-model="form.extension" clearable filterable><el-option v-for="e in exts" :key="e.ext" :value="e.ext" :label="e.ext + (e.display_name ? ' ' + e.display_name : '')" /></el-select>
        </el-form-item>
        <el-form-item :label="t('users.scope')">
          <el-select v-model="form.scope" name="scope" clearable><el-option v-for="x in scopes" :key="x" :value="x" :label="t('scope.' + x)" /></el-select>
        </el-form-item>
        <el-form-item :label="t('users.mask')"><el-switch v-model="form.mask_numbers" name="mask_numbers" /></el-form-item>
        <el-alert v-if="error" type="error" :title="error" :closable="false" show-icon class="form-error" />
      </el-form>
      <template #footer>
        <el-button @click="dialog = false">{{ t('common.cancel') }}</el-button>
        <el-button type="primary" @click="save" class="btn-save">{{ t('common.save') }}</el-button>
      </template>
    </el-dialog>
  </el-card>`,
};
