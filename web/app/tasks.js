// tasks: the supervisors' page for callback tasks (计划任务) and notices —
// every task they may see with filters (overdue, a pool, an agent, a
// state, an origin), a new task for an agent or a queue's pool, the
// completion statistics per agent over a period (done on time, late,
// open, overdue), the notices they publish, and whether abandoned calls
// make callback tasks, overall and per queue.
import { ref, onMounted, onUnmounted } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { get, post, put } from './api.js';
import { live } from './live.js';
import { when } from './util.js';
import { NoticeAdmin } from './notices.js';

const iso = d => new Date(d).toISOString().replace(/\.\d+Z$/, 'Z');
const pct = v => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

export default {
  components: { NoticeAdmin },
  setup() {
    const tab = ref('list');
    const filter = ref({ view: 'all', state: 'open', origin: '', assignee: '' });
    const items = ref([]);
    const cursor = ref(null);
    const only = ref('');   // #/tasks/ID (the contact history's link): that task alone
    const load = async (more = false) => {
      only.value = '';
      const f = filter.value;
      const q = new URLSearchParams({ view: f.view, state: f.state || 'any', limit: '50' });
      if (f.origin) q.set('origin', f.origin);
      if (f.assignee) q.set('assignee', f.assignee);
      if (more && cursor.value) q.set('cursor', cursor.value);
      try {
        const r = await get('/api/v1/tasks?' + q);
        items.value = more ? items.value.concat(r.items) : r.items;
        cursor.value = r.next_cursor;
      } catch (e) { ElMessage.error(e.message); }
    };
    const rowClass = ({ row }) => (row.overdue ? 'task-overdue' : '');

    const form = ref(null);
    const queues = () => Object.keys(live.queues);
    const create = () => {
      form.value = { title: '', phone: '', notes: '', due_at: new Date(Date.now() + 3600000), to: 'assignee', assignee: '', pool: '' };
    };
    const save = async () => {
      const f = form.value;
      const body = { title: f.title, phone: f.phone, notes: f.notes, due_at: iso(f.due_at) };
      if (f.to === 'pool') body.pool = f.pool; else if (f.assignee) body.assignee = f.assignee;
      try {
        await post('/api/v1/tasks', body);
        form.value = null;
        await load();
      } catch (e) { ElMessage.error(e.message); }
    };
    const end = async (row, how) => {
      try { await post(`/api/v1/tasks/${row.id}/${how}`, {}); await load(); } catch (e) { ElMessage.error(e.message); }
    };

    const range = ref([new Date(Date.now() - 30 * 86400000), new Date(Date.now() + 86400000)]);
    const stats = ref({ items: [], total: null });
    const loadStats = async () => {
      const [a, b] = range.value || [];
      const q = a && b ? `?from=${iso(a)}&to=${iso(b)}` : '';
      try { stats.value = await get('/api/v1/tasks/stats' + q); } catch (e) { ElMessage.error(e.message); }
    };

    const rules = ref({ enabled: true, queues: {} });
    const loadRules = async () => {
      try { rules.value = await get('/api/v1/tasks/abandon-rules'); } catch (e) { ElMessage.error(e.message); }
    };
    const setRule = async (queue, enabled) => {
      try { rules.value = await put('/api/v1/tasks/abandon-rules', { queue, enabled }); } catch (e) { ElMessage.error(e.message); }
    };
    const ruleOf = q => (q in rules.value.queues ? (rules.value.queues[q] ? 'on' : 'off') : 'inherit');

    const onTab = name => {
      if (name === 'stats') loadStats();
      if (name === 'rules') loadRules();
    };
    const fromHash = async () => {
      const m = location.hash.match(/^#\/tasks\/([^/?]+)/);
      if (!m) return false;
      try {
        items.value = [await get('/api/v1/tasks/' + m[1])];
        cursor.value = null;
        only.value = decodeURIComponent(m[1]);
        tab.value = 'list';
      } catch (e) { ElMessage.error(e.message); }
      return true;
    };
    const showAll = () => { history.replaceState(null, '', '#/tasks'); load(); };
    onMounted(async () => {
      if (!(await fromHash())) await load();
      window.addEventListener('hashchange', fromHash);
    });
    onUnmounted(() => window.removeEventListener('hashchange', fromHash));
    return { tab, filter, items, cursor, load, only, showAll, rowClass, form, queues, create, save, end,
      range, stats, loadStats, rules, setRule, ruleOf, onTab, when, pct, t };
  },
  template: `
  <div class="tasks-page">
    <el-tabs v-model="tab" @tab-change="onTab">
      <el-tab-pane :label="t('tasks.list')" name="list">
        <div class="row toolbar">
          <el-radio-group v-model="filter.view" size="small" @change="load()" class="task-view">
            <el-radio-button value="all">{{ t('tasks.view.all') }}</el-radio-button>
            <el-radio-button value="overdue">{{ t('tasks.view.overdue') }}</el-radio-button>
            <el-radio-button value="pool">{{ t('tasks.view.pool') }}</el-radio-button>
            <el-radio-button value="mine">{{ t('tasks.view.mine') }}</el-radio-button>
          </el-radio-group>
          <el-select v-model="filter.state" size="small" style="width: 110px" @change="load()">
            <el-option value="open" :label="t('tasks.state.open')" />
            <el-option value="done" :label="t('tasks.state.done')" />
            <el-option value="cancelled" :label="t('tasks.state.cancelled')" />
            <el-option value="" :label="t('tasks.state.any')" />
          </el-select>
          <el-select v-model="filter.origin" size="small" style="width: 120px" clearable :placeholder="t('tasks.origin')" @change="load()">
            <el-option v-for="o in ['manual', 'voicemail', 'abandoned', 'ticket']" :key="o" :value="o" :label="t('todo.origin.' + o)" />
          </el-select>
          <el-input v-model="filter.assignee" size="small" style="width: 130px" clearable :placeholder="t('tasks.assignee')" @change="load()" />
          <span class="spacer"></span>
          <el-button v-if="only" size="small" class="btn-task-all" @click="showAll">{{ t('tasks.view.all') }}</el-button>
          <el-button type="primary" size="small" class="btn-task-new" @click="create">{{ t('tasks.new') }}</el-button>
        </div>
        <el-table :data="items" size="small" :row-class-name="rowClass" :empty-text="t('todo.none')" class="task-table" max-height="520">
          <el-table-column :label="t('todo.due')" width="140"><template #default="s">
            <span :class="{ overdue: s.row.overdue }">{{ when(s.row.due_at).slice(0, 16) }}</span></template></el-table-column>
          <el-table-column :label="t('todo.task')" prop="title" min-width="180" />
          <el-table-column :label="t('todo.phone')" prop="phone" width="130" />
          <el-table-column :label="t('tasks.assignee')" width="120"><template #default="s">
            {{ s.row.assignee_name || s.row.assignee || (s.row.pool ? t('tasks.poolOf', { q: s.row.pool }) : '—') }}</template></el-table-column>
          <el-table-column :label="t('tasks.origin')" width="100"><template #default="s">{{ t('todo.origin.' + s.row.origin) }}</template></el-table-column>
          <el-table-column :label="t('tasks.stateCol')" width="100"><template #default="s">
            <el-tag size="small" :type="s.row.overdue ? 'danger' : s.row.state === 'done' ? 'success' : 'info'">
              {{ s.row.overdue ? t('tasks.view.overdue') : t('tasks.state.' + s.row.state) }}</el-tag></template></el-table-column>
          <el-table-column :label="t('tasks.outcome')" prop="outcome" min-width="100" />
          <el-table-column width="120"><template #default="s">
            <template v-if="s.row.state === 'open'">
              <el-button size="small" link type="success" @click="end(s.row, 'done')">{{ t('todo.done') }}</el-button>
              <el-button size="small" link @click="end(s.row, 'cancel')">{{ t('todo.cancel') }}</el-button>
            </template></template></el-table-column>
        </el-table>
        <div v-if="cursor" class="more"><el-button size="small" @click="load(true)">{{ t('tasks.more') }}</el-button></div>
      </el-tab-pane>
      <el-tab-pane :label="t('tasks.stats')" name="stats">
        <div class="row toolbar">
          <el-date-picker v-model="range" type="datetimerange" size="small" @change="loadStats" />
          <el-button size="small" @click="loadStats">{{ t('common.refresh') }}</el-button>
        </div>
        <el-table :data="stats.items" size="small" class="stats-table" :empty-text="t('todo.none')">
          <el-table-column :label="t('tasks.assignee')"><template #default="s">{{ s.row.name || s.row.assignee || t('tasks.unclaimed') }}</template></el-table-column>
          <el-table-column :label="t('tasks.total')" prop="total" width="80" />
          <el-table-column :label="t('tasks.onTime')" prop="on_time" width="90" />
          <el-table-column :label="t('tasks.late')" prop="late" width="80" />
          <el-table-column :label="t('tasks.state.open')" prop="open" width="80" />
          <el-table-column :label="t('tasks.view.overdue')" width="80"><template #default="s">
            <span :class="{ overdue: s.row.overdue > 0 }">{{ s.row.overdue }}</span></template></el-table-column>
          <el-table-column :label="t('tasks.state.cancelled')" prop="cancelled" width="80" />
          <el-table-column :label="t('tasks.rate')" width="100"><template #default="s">{{ pct(s.row.on_time_rate) }}</template></el-table-column>
        </el-table>
        <div v-if="stats.total" class="stats-total">{{ t('tasks.totalLine', { n: stats.total.total, r: pct(stats.total.on_time_rate), o: stats.total.overdue }) }}</div>
      </el-tab-pane>
      <el-tab-pane :label="t('tasks.notices')" name="notices"><notice-admin /></el-tab-pane>
      <el-tab-pane :label="t('tasks.rules')" name="rules">
        <div class="muted">{{ t('tasks.rulesHint') }}</div>
        <div class="row rule-row"><b>{{ t('tasks.allQueues') }}</b>
          <el-switch :model-value="rules.enabled" class="rule-global" @change="v => setRule('*', v)" /></div>
        <div v-for="q in queues()" :key="q" class="row rule-row">
          <span class="rule-queue">{{ q }}</span>
          <el-radio-group :model-value="ruleOf(q)" size="small" @change="v => setRule(q, v === 'inherit' ? null : v === 'on')">
            <el-radio-button value="inherit">{{ t('tasks.inherit') }}</el-radio-button>
            <el-radio-button value="on">{{ t('codes.on') }}</el-radio-button>
            <el-radio-button value="off">{{ t('codes.off') }}</el-radio-button>
          </el-radio-group>
        </div>
      </el-tab-pane>
    </el-tabs>
    <el-dialog :model-value="!!form" @update:model-value="v => { if (!v) form = null; }" :title="t('tasks.new')" width="520px" class="task-form">
      <el-form v-if="form" label-width="90px">
        <el-form-item :label="t('todo.task')"><el-input v-model="form.title" maxlength="200" class="task-title-in" /></el-form-item>
        <el-form-item :label="t('todo.phone')"><el-input v-model="form.phone" class="task-phone-in" /></el-form-item>
        <el-form-item :label="t('todo.due')"><el-date-picker v-model="form.due_at" type="datetime" /></el-form-item>
        <el-form-item :label="t('tasks.to')">
          <el-radio-group v-model="form.to"><el-radio value="assignee">{{ t('tasks.assignee') }}</el-radio><el-radio value="pool">{{ t('todo.pool') }}</el-radio></el-radio-group>
        </el-form-item>
        <el-form-item v-if="form.to === 'assignee'" :label="t('tasks.assignee')"><el-input v-model="form.assignee" :placeholder="t('tasks.self')" class="task-assignee-in" /></el-form-item>
        <el-form-item v-else :label="t('todo.queue')">
          <el-select v-model="form.pool"><el-option v-for="q in queues()" :key="q" :value="q" :label="q" /></el-select>
        </el-form-item>
        <el-form-item :label="t('tasks.notes')"><el-input v-model="form.notes" type="textarea" :rows="2" /></el-form-item>
      </el-form>
      <template #footer>
        <el-button @click="form = null">{{ t('common.cancel') }}</el-button>
        <el-button type="primary" class="btn-task-save" @click="save">{{ t('common.save') }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
