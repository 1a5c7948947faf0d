// audit: the audit log (审计日志) for administrators — who did what, when,
// from where, and whether it was allowed — filtered by time, user and
// action, paged like the call records, exported as CSV for Excel (the
// server adds the BOM that makes Excel read Chinese names).
import { ref, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { get, session } from './api.js';
import { when } from './util.js';

// An action ("PUT /api/v1/queues/{name}") in words for the person reading
// the log: the resource from the path, the verb from the method; a few
// actions have their own words. The raw action stays beside it.
const special = {
  'POST /api/v1/auth/login': 'login', 'POST /api/v1/auth/logout': 'logout',
  'POST /api/v1/auth/password': 'password',
  'GET /api/v1/calls/{id}/recording': 'play',
  'POST /api/v1/recordings/archive': 'archive',
  'GET /api/v1/recordings/archive/{name}': 'archiveGet',
  'GET /api/v1/voicemails/{id}/audio': 'voicemail',
};
function describe(action) {
  if (!action) return '';
  if (special[action]) return t('audit.do.' + special[action]);
  const [method, path] = action.split(' ');
  const res = (path || '').replace('/api/v1/', '').split('/')[0];
  const verb = t('audit.verb.' + method);
  const noun = t('audit.res.' + res);
  if (verb.startsWith('audit.') || noun.startsWith('audit.')) return '';
  return verb + ' · ' + noun;
}

export default {
  setup() {
    const range = ref(null), username = ref(''), action = ref('');
    const items = ref([]), next = ref(null), loading = ref(false);

    const params = () => {
      const q = new URLSearchParams();
      if (range.value && range.value[0]) {
        q.set('from', range.value[0].toISOString());
        q.set('to', range.value[1].toISOString());
      }
      if (username.value) q.set('username', username.value);
      if (action.value) q.set('action', action.value);
      return q;
    };
    const search = async more => {
      const q = params();
      q.set('limit', '100');
      if (more && next.value) q.set('cursor', next.value);
      loading.value = true;
      try {
        const r = await get('/api/v1/audit?' + q);
        items.value = more ? items.value.concat(r.items) : r.items;
        next.value = r.next_cursor;
      } catch (e) { ElMessage.error(e.message); }
      finally { loading.value = false; }
    };
    const reset = () => {
      range.value = null; username.value = ''; action.value = '';
      search(false);
    };
    // The export needs the bearer header, which a plain link cannot send.
    const exportCsv = async () => {
      try {
        const res = await fetch('/api/v1/audit.csv?' + params(),
          { headers: { Authorization: 'Bearer ' + session.token } });
        if (!res.ok) {
          const j = await res.json().catch(() => null);
          throw new Error((j && j.error) || res.statusText);
        }
        const url = URL.createObjectURL(await res.blob());
        const a = document.createElement('a');
        a.href = url;
        a.download = 'audit.csv';
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      } catch (e) { ElMessage.error(e.message); }
    };
    const tag = o => ({ ok: 'success', failed: 'warning', refused: 'danger' }[o] || 'info');
    onMounted(() => search(false));
    return { range, username, action, items, next, loading, search, reset,
      exportCsv, tag, t, when, describe };
  },
  template: `
  <el-card shadow="never" class="audit">
    <template #header><b>{{ t('nav.audit') }}</b></template>
    <el-form inline @submit.prevent="search(false)">
      <el-form-item :label="t('calls.range')">
        <el-date-picker v-model="range" type="datetimerange" unlink-panels />
      </el-form-item>
      <el-form-item :label="t('audit.user')"><el-input v-model="username" name="audit-user" clearable style="width: 140px" /></el-form-item>
      <el-form-item :label="t('audit.action')"><el-input v-model="action" name="audit-action" clearable style="width: 180px" /></el-form-item>
      <el-form-item>
        <el-button type="primary" @click="search(false)">{{ t('calls.search') }}</el-button>
        <el-button @click="reset">{{ t('calls.reset') }}</el-button>
        <el-button class="btn-export" @click="exportCsv">{{ t('audit.export') }}</el-button>
      </el-form-item>
    </el-form>
    <el-table :data="items" v-loading="loading" size="default" :empty-text="t('audit.none')" class="audit-table">
      <el-table-column :label="t('audit.at')" width="160"><template #default="s">{{ when(s.row.at) }}</template></el-table-column>
      <el-table-column prop="username" :label="t('audit.user')" width="110" />
      <el-table-column :label="t('users.role')" width="90"><template #default="s">{{ s.row.role ? t('role.' + s.row.role) : '—' }}</template></el-table-column>
      <el-table-column :label="t('audit.action')" min-width="200"><template #default="s">
        <div>{{ describe(s.row.action) }}</div><div class="raw-action">{{ s.row.action }}</div>
      </template></el-table-column>
      <el-table-column prop="target" :label="t('audit.target')" min-width="180" />
      <el-table-column prop="ip" :label="t('audit.ip')" width="120" />
      <el-table-column :label="t('audit.outcome')" width="90">
        <template #default="s"><el-tag :type="tag(s.row.outcome)" size="small">{{ t('audit.' + s.row.outcome) }}</el-tag></template>
      </el-table-column>
      <el-table-column prop="detail" :label="t('audit.detail')" min-width="200" show-overflow-tooltip />
    </el-table>
    <div class="more" v-if="next"><el-button @click="search(true)">{{ t('audit.more') }}</el-button></div>
  </el-card>`,
};
