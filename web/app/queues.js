// queues: queues and the agents who serve them (队列管理 / 坐席管理) —
// create or change a queue's routing and service-level settings, create an
// extension (an agent at once) and put agents into queues. What the server
// refuses is shown with its reason. A new agent is two requests (the
// extension, then its queues); if the second is refused the extension
// stays, listed, and its queues can be set in the list.
import { ref, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { get, post, put } from './api.js';

// docs/acd.md's table, in its order.
const strategies = ['ring-all', 'longest-idle', 'round-robin', 'sequential',
  'least-talk-time', 'fewest-calls', 'random', 'skills-based', 'sticky'];

export default {
  setup() {
    const queues = ref([]), agents = ref([]), dids = ref([]);
    const dDialog = ref(false), dForm = ref({}), dError = ref('');
    const qDialog = ref(false), qForm = ref({}), qNew = ref(false), qError = ref('');
    const aDialog = ref(false), aForm = ref({}), aError = ref('');
    const load = async () => {
      try {
        const [q, a, d] = await Promise.all([get('/api/v1/queue-config'),
          get('/api/v1/agents'), get('/api/v1/dids')]);
        queues.value = q.items;
        agents.value = a.items;
        dids.value = d.items;
      } catch (e) { ElMessage.error(e.message); }
    };
    const editQueue = q => {
      qNew.value = !q;
      qError.value = '';
      qForm.value = q ? { name: q.name, strategy: q.strategy,
        ring_timeout_s: q.ring_timeout_ms / 1000, wrapup_s: q.wrapup_ms / 1000,
        wrapup_required: !!q.wrapup_required, sl_s: q.sl_ms / 1000, max_wait_s: q.max_wait_ms / 1000, overflow: q.overflow }
        : { name: '', strategy: 'longest-idle', ring_timeout_s: 15, wrapup_s: 3,
          wrapup_required: false, sl_s: 20, max_wait_s: 0, overflow: 'hangup' };
      qDialog.value = true;
    };
    const saveQueue = async () => {
      const f = qForm.value;
      try {
        await put('/api/v1/queues/' + encodeURIComponent(f.name), {
          strategy: f.strategy, ring_timeout_ms: Math.round(f.ring_timeout_s * 1000),
          wrapup_ms: Math.round(f.wrapup_s * 1000), wrapup_required: f.wrapup_required,
          sl_ms: Math.round(f.sl_s * 1000),
          max_wait_ms: Math.round(f.max_wait_s * 1000), overflow: f.overflow });
        qDialog.value = false;
        load();
      } catch (e) { qError.value = e.message; }
    };
    const newAgent = () => {
      aError.value = '';
      aForm.value = { ext: '', password: '', display_name: '', queues: [] };
      aDialog.value = true;
    };
    // An agent is an extension; its queues are set on the agent.
    const saveAgent = async () => {
      const f = aForm.value;
      try {
        await post('/api/v1/extensions', { ext: f.ext, password: f.password,
          display_name: f.display_name });
        await put('/api/v1/agents/' + f.ext, {
          queues: f.queues.map((q, i) => ({ queue: q, skill: 0, position: i })) });
        aDialog.value = false;
        load();
      } catch (e) { aError.value = e.message; }
    };
    const setMembers = async (a, names) => {
      try {
        await put('/api/v1/agents/' + a.ext, {
          queues: names.map(q => ({ queue: q, skill: 0, position: 0 })) });
        load();
      } catch (e) { ElMessage.error(e.message); }
    };
    // A number callers dial (DID) and where it leads.
    const editDid = d => {
      dError.value = '';
      dForm.value = d ? { ...d, isNew: false } :
        { did: '', target_kind: 'queue', target: '', description: '', isNew: true };
      dDialog.value = true;
    };
    const saveDid = async () => {
      const f = dForm.value;
      try {
        await put('/api/v1/dids/' + encodeURIComponent(f.did), { target_kind: f.target_kind,
          target: f.target, description: f.description || '' });
        dDialog.value = false;
        load();
      } catch (e) { dError.value = e.message; }
    };
    onMounted(load);
    return { dids, dDialog, dForm, dError, editDid, saveDid, queues, agents, strategies, qDialog, qForm, qNew, qError, aDialog, aForm,
      aError, editQueue, saveQueue, newAgent, saveAgent, setMembers, t };
  },
  template: `
  <div class="queues">
  <el-card shadow="never">
    <template #header><b>{{ t('nav.queues') }}</b>
      <el-button type="primary" size="small" class="right btn-new-queue" @click="editQueue(null)">{{ t('common.create') }}</el-button></template>
    <el-table :data="queues" class="queue-config">
      <el-table-column prop="name" :label="t('desk.queue')" width="130" />
      <el-table-column prop="strategy" :label="t('q.strategy')" width="140" />
      <el-table-column :label="t('q.ring')" width="110"><template #default="s">{{ s.row.ring_timeout_ms / 1000 }} s</template></el-table-column>
      <el-table-column :label="t('q.sl')" width="110"><template #default="s">{{ s.row.sl_ms / 1000 }} s</template></el-table-column>
      <el-table-column :label="t('q.wrapup')" width="130"><template #default="s">{{ s.row.wrapup_ms / 1000 }} s<el-tag v-if="s.row.wrapup_required" size="small" type="warning" class="wrap-req">{{ t('q.wrapupRequiredShort') }}</el-tag></template></el-table-column>
      <el-table-column prop="overflow" :label="t('q.overflow')" width="140" />
      <el-table-column :label="t('q.members')"><template #default="s">{{ (s.row.members || []).join(', ') }}</template></el-table-column>
      <el-table-column width="80"><template #default="s"><el-button size="small" link type="primary" @click="editQueue(s.row)">{{ t('common.edit') }}</el-button></template></el-table-column>
    </el-table>
  </el-card>
  <el-card shadow="never">
    <template #header><b>{{ t('nav.agents') }}</b>
      <el-button type="primary" size="small" class="right btn-new-agent" @click="newAgent">{{ t('common.create') }}</el-button></template>
    <el-table :data="agents" size="small" class="agent-config">
      <el-table-column prop="ext" :label="t('desk.ext')" width="100" />
      <el-table-column :label="t('desk.state')" width="120"><template #default="s">{{ t('state.' + s.row.state) }}</template></el-table-column>
      <el-table-column :label="t('q.memberOf')">
        <template #default="s">
          <el-select :model-value="s.row.queues.map(q => q.queue)" multiple size="small" style="width: 100%"
                     @change="v => setMembers(s.row, v)">
            <el-option v-for="q in queues" :key="q.name" :value="q.name" :label="q.name" />
          </el-select>
        </template>
      </el-table-column>
    </el-table>
  </el-card>
  <el-card shadow="never">
    <template #header><b>{{ t('q.dids') }}</b>
      <el-button type="primary" size="small" class="right btn-new-did" @click="editDid(null)">{{ t('common.create') }}</el-button></template>
    <el-table :data="dids" size="small" class="did-table">
      <el-table-column prop="did" :label="t('q.did')" width="160" />
      <el-table-column :label="t('q.target')" width="220"><template #default="s">{{ t('q.kind.' + s.row.target_kind) }} · {{ s.row.target }}</template></el-table-column>
      <el-table-column prop="description" :label="t('q.description')" />
      <el-table-column width="80"><template #default="s"><el-button size="small" link type="primary" @click="editDid(s.row)">{{ t('common.edit') }}</el-button></template></el-table-column>
    </el-table>
  </el-card>
  <el-dialog v-model="dDialog" :title="dForm.isNew ? t('common.create') : t('common.edit') + ' ' + dForm.did" width="480px">
    <el-form label-width="110px">
      <el-form-item :label="t('q.did')"><el-input v-model="dForm.did" :disabled="!dForm.isNew" name="did" /></el-form-item>
      <el-form-item :label="t('q.target')">
        <el-select v-model="dForm.target_kind" style="width: 120px" class="did-kind">
          <el-option v-for="k in ['queue', 'ivr', 'extension']" :key="k" :value="k" :label="t('q.kind.' + k)" />
        </el-select>
        <el-input v-model="dForm.target" name="did-target" style="width: 200px; margin-left: 8px" />
      </el-form-item>
      <el-form-item :label="t('q.description')"><el-input v-model="dForm.description" /></el-form-item>
      <el-alert v-if="dError" type="error" :title="dError" :closable="false" show-icon class="form-error" />
    </el-form>
    <template #footer><el-button @click="dDialog = false">{{ t('common.cancel') }}</el-button>
      <el-button type="primary" class="btn-save-did" @click="saveDid">{{ t('common.save') }}</el-button></template>
  </el-dialog>
  <el-dialog v-model="qDialog" :title="qNew ? t('common.create') : t('common.edit') + ' ' + qForm.name" width="520px">
    <el-form label-width="150px">
      <el-form-item :label="t('desk.queue')"><el-input v-model="qForm.name" :disabled="!qNew" name="queue-name" /></el-form-item>
      <el-form-item :label="t('q.strategy')"><el-select v-model="qForm.strategy"><el-option v-for="s in strategies" :key="s" :value="s" :label="s" /></el-select></el-form-item>
      <el-form-item :label="t('q.ring') + ' (s)'"><el-input-number v-model="qForm.ring_timeout_s" :min="1" :max="600" /></el-form-item>
      <el-form-item :label="t('q.sl') + ' (s)'"><el-input-number v-model="qForm.sl_s" :min="1" :max="3600" /></el-form-item>
      <el-form-item :label="t('q.wrapup') + ' (s)'"><el-input-number v-model="qForm.wrapup_s" :min="0" :max="3600" /></el-form-item>
      <el-form-item :label="t('q.wrapupRequired')"><el-switch v-model="qForm.wrapup_required" class="wrapup-required" />
        <span class="muted hint">{{ t('q.wrapupRequiredHint') }}</span></el-form-item>
      <el-form-item :label="t('q.maxWait') + ' (s)'"><el-input-number v-model="qForm.max_wait_s" :min="0" :max="86400" /></el-form-item>
      <el-form-item :label="t('q.overflow')"><el-input v-model="qForm.overflow" placeholder="hangup | queue:NAME | extension:EXT | voicemail:BOX" /></el-form-item>
      <el-alert v-if="qError" type="error" :title="qError" :closable="false" show-icon class="form-error" />
    </el-form>
    <template #footer><el-button @click="qDialog = false">{{ t('common.cancel') }}</el-button>
      <el-button type="primary" class="btn-save-queue" @click="saveQueue">{{ t('common.save') }}</el-button></template>
  </el-dialog>
  <el-dialog v-model="aDialog" :title="t('q.newAgent')" width="480px">
    <el-form label-width="120px">
      <el-form-item :label="t('desk.ext')"><el-input v-model="aForm.ext" name="agent-ext" /></el-form-item>
      <el-form-item :label="t('q.sipPassword')"><el-input v-model="aForm.password" type="password" show-password name="agent-password" /></el-form-item>
      <el-form-item :label="t('users.name')"><el-input v-model="aForm.display_name" /></el-form-item>
      <el-form-item :label="t('q.memberOf')"><el-select v-model="aForm.queues" multiple class="agent-queues"><el-option v-for="q in queues" :key="q.name" :value="q.name" :label="q.name" /></el-select></el-form-item>
      <el-alert v-if="aError" type="error" :title="aError" :closable="false" show-icon class="form-error" />
    </el-form>
    <template #footer><el-button @click="aDialog = false">{{ t('common.cancel') }}</el-button>
      <el-button type="primary" class="btn-save-agent" @click="saveAgent">{{ t('common.save') }}</el-button></template>
  </el-dialog>
  </div>`,
};
