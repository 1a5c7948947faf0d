// trunks: carriers' lines (中继) and the dial plans that send calls out
// through them — each trunk's state, registration and counters at a
// glance; a trunk or plan edited as the JSON the API takes, so every
// field of docs/api.md is reachable, with the server's reason when it
// refuses.
import { ref, onMounted, onUnmounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { t } from './i18n.js';
import { get, post, put, del } from './api.js';

const TRUNK = { name: 'carrier', inbound_from: ['203.0.113.0/24'],
  outbound: { address: '203.0.113.10:5060', transport: 'udp', codecs: ['PCMA', 'PCMU'] },
  max_channels: 30, caller_id: '', ping_interval_s: 30, invite_timeout_s: 8 };
const PLAN = { pattern: '^1[3-9][0-9]{9}$', trunks: ['carrier'] };

export default {
  setup() {
    const trunks = ref([]), plans = ref([]);
    const dialog = ref(false), kind = ref('trunk'), text = ref(''), target = ref(null), error = ref('');
    const load = async () => {
      try {
        const [a, b] = await Promise.all([get('/api/v1/trunks'), get('/api/v1/dial-plans')]);
        trunks.value = a.items;
        plans.value = b.items;
      } catch (e) { ElMessage.error(e.message); }
    };
    const timer = setInterval(load, 5000);   // state and counters move
    onUnmounted(() => clearInterval(timer));
    const edit = (k, row) => {
      kind.value = k;
      target.value = row;
      error.value = '';
      let body = row ? { ...row } : (k === 'trunk' ? TRUNK : PLAN);
      if (row) for (const f of ['state', 'registration', 'counters', 'id']) delete body[f];
      if (row && body.outbound) body.outbound = { ...body.outbound, password_set: undefined };
      text.value = JSON.stringify(body, null, 2);
      dialog.value = true;
    };
    const save = async () => {
      let body;
      try { body = JSON.parse(text.value); } catch (e) { error.value = e.message; return; }
      try {
        if (kind.value === 'trunk') {
          if (target.value) {
            delete body.name;
            await put('/api/v1/trunks/' + encodeURIComponent(target.value.name), body);
          } else await post('/api/v1/trunks', body);
        } else if (target.value) await put('/api/v1/dial-plans/' + target.value.id, body);
        else await post('/api/v1/dial-plans', body);
        dialog.value = false;
        load();
      } catch (e) { error.value = e.message; }
    };
    const remove = async (k, row) => {
      try {
        await ElMessageBox.confirm(row.name || row.pattern, t('common.delete'), { type: 'warning' });
        await del(k === 'trunk' ? '/api/v1/trunks/' + encodeURIComponent(row.name)
          : '/api/v1/dial-plans/' + row.id);
        load();
      } catch (e) { if (e && e.message) ElMessage.error(e.message); }
    };
    onMounted(load);
    return { trunks, plans, dialog, kind, text, error, target, edit, save, remove, t };
  },
  template: `
  <div class="trunks">
    <el-card shadow="never">
      <template #header><b>{{ t('nav.trunks') }}</b>
        <el-button type="primary" size="small" class="right" @click="edit('trunk', null)">{{ t('common.create') }}</el-button></template>
      <el-table :data="trunks" class="trunk-table" :empty-text="t('trunk.none')">
        <el-table-column prop="name" :label="t('trunk.name')" width="120" />
        <el-table-column :label="t('trunk.state')" width="90">
          <template #default="s"><el-tag :type="s.row.state === 'up' ? 'success' : 'danger'" effect="dark">{{ t('trunk.' + s.row.state) }}</el-tag></template>
        </el-table-column>
        <el-table-column :label="t('trunk.outbound')" min-width="180">
          <template #default="s">{{ s.row.outbound ? s.row.outbound.address + ' / ' + s.row.outbound.transport : '—' }}</template>
        </el-table-column>
        <el-table-column :label="t('trunk.inbound')" min-width="160"><template #default="s">{{ (s.row.inbound_from || []).join(', ') || '—' }}</template></el-table-column>
        <el-table-column :label="t('trunk.register')" width="130"><template #default="s">{{ s.row.registration ? s.row.registration.state : '—' }}</template></el-table-column>
        <el-table-column :label="t('trunk.channels')" width="100"><template #default="s">{{ s.row.counters.channels_in_use }} / {{ s.row.max_channels || '∞' }}</template></el-table-column>
        <el-table-column :label="t('trunk.calls')" width="140"><template #default="s">↓{{ s.row.counters.calls_in }} ↑{{ s.row.counters.calls_out }} ✗{{ s.row.counters.failures }}</template></el-table-column>
        <el-table-column width="130"><template #default="s">
          <el-button size="small" link type="primary" @click="edit('trunk', s.row)">{{ t('common.edit') }}</el-button>
          <el-button size="small" link type="danger" @click="remove('trunk', s.row)">{{ t('common.delete') }}</el-button>
        </template></el-table-column>
      </el-table>
    </el-card>
    <el-card shadow="never">
      <template #header><b>{{ t('trunk.plans') }}</b>
        <el-button type="primary" size="small" class="right" @click="edit('plan', null)">{{ t('common.create') }}</el-button></template>
      <el-table :data="plans" class="plan-table" :empty-text="t('trunk.noPlans')">
        <el-table-column prop="position" :label="t('trunk.position')" width="80" />
        <el-table-column prop="pattern" :label="t('trunk.pattern')" />
        <el-table-column :label="t('nav.trunks')"><template #default="s">{{ s.row.trunks.join(' → ') }}</template></el-table-column>
        <el-table-column width="130"><template #default="s">
          <el-button size="small" link type="primary" @click="edit('plan', s.row)">{{ t('common.edit') }}</el-button>
          <el-button size="small" link type="danger" @click="remove('plan', s.row)">{{ t('common.delete') }}</el-button>
        </template></el-table-column>
      </el-table>
    </el-card>
    <el-dialog v-model="dialog" :title="(target ? t('common.edit') : t('common.create')) + ' · ' + t(kind === 'trunk' ? 'nav.trunks' : 'trunk.plans')" width="620px">
      <el-input v-model="text" type="textarea" :rows="16" class="flow-json" spellcheck="false" />
      <div class="muted">{{ t('trunk.help') }}</div>
      <el-alert v-if="error" type="error" :title="error" :closable="false" show-icon class="form-error" />
      <template #footer><el-button @click="dialog = false">{{ t('common.cancel') }}</el-button>
        <el-button type="primary" @click="save">{{ t('common.save') }}</el-button></template>
    </el-dialog>
  </div>`,
};
