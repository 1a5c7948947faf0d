// todo: the to-do list (待办事宜) of the agent desk and the personal page —
// my open callback tasks, soonest due first, overdue ones in red; a click
// on the number dials it with click-to-dial (the answered call ends the
// task by itself, server side), and done / cancel buttons with an outcome.
// The pool's tasks of my queues are listed below, each with a claim
// button. Refreshed when task.* events for me arrive and every 30 s.
import { ref, onMounted, onUnmounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { t } from './i18n.js';
import { get, post, session } from './api.js';
import { onEvent } from './live.js';
import { when } from './util.js';

export default {
  props: { compact: { type: Boolean, default: false } },
  setup() {
    const ext = session.user.extension;
    const mine = ref([]);
    const pool = ref([]);
    const load = async () => {
      try {
        mine.value = (await get('/api/v1/tasks?view=mine&limit=100')).items;
        pool.value = (await get('/api/v1/tasks?view=pool&limit=50')).items;
      } catch (e) { ElMessage.error(e.message); }
    };
    const call = async task => {
      if (!ext || !task.phone) return;
      try {
        await post('/api/v1/calls', { agent: ext, to: task.phone });
        ElMessage.success(t('todo.dialling', { n: task.phone }));
      } catch (e) { ElMessage.error(e.message); }
    };
    const end = async (task, how) => {
      let outcome = '';
      try {
        ({ value: outcome } = await ElMessageBox.prompt(t('todo.outcome'),
          t(how === 'done' ? 'todo.done' : 'todo.cancel'),
          { inputValue: '', confirmButtonText: t('common.ok'), cancelButtonText: t('common.cancel') }));
      } catch (e) { return; }
      try {
        await post(`/api/v1/tasks/${task.id}/${how}`, { outcome: outcome || '' });
        await load();
      } catch (e) { ElMessage.error(e.message); }
    };
    const claim = async task => {
      try {
        await post(`/api/v1/tasks/${task.id}/claim`);
        await load();
      } catch (e) { ElMessage.error(e.message); }
    };
    const rowClass = ({ row }) => (row.overdue ? 'task-overdue' : '');
    const off = onEvent(ev => { if (ev.type && ev.type.startsWith('task.')) load(); });
    const timer = setInterval(load, 30000);
    onMounted(load);
    onUnmounted(() => { off(); clearInterval(timer); });
    return { mine, pool, call, end, claim, rowClass, when, t, ext, load };
  },
  template: `
  <el-card shadow="never" class="todo">
    <template #header><div class="row">
      <b>{{ t('todo.title') }}</b>
      <el-badge :value="mine.filter(x => x.overdue).length" :hidden="!mine.some(x => x.overdue)" class="todo-overdue-badge" />
      <span class="spacer"></span>
      <el-button size="small" text @click="load">{{ t('common.refresh') }}</el-button>
    </div></template>
    <el-table :data="mine" size="small" :row-class-name="rowClass" :empty-text="t('todo.none')" class="todo-mine">
      <el-table-column :label="t('todo.due')" :width="compact ? 70 : 120">
        <template #default="s"><span :class="{ overdue: s.row.overdue }">{{ when(s.row.due_at).slice(5, 16) }}</span></template>
      </el-table-column>
      <el-table-column :label="t('todo.task')" min-width="150">
        <template #default="s">
          <div class="task-title">{{ s.row.title }}</div>
          <div class="task-meta">
            <el-tag size="small" :type="s.row.overdue ? 'danger' : 'info'" class="task-origin">{{ t('todo.origin.' + s.row.origin) }}</el-tag>
            <template v-if="compact">
              <el-link v-if="s.row.phone && ext" type="primary" class="task-call" @click="call(s.row)">☎ {{ s.row.phone }}</el-link>
              <span v-else-if="s.row.phone">{{ s.row.phone }}</span>
            </template>
          </div>
        </template>
      </el-table-column>
      <el-table-column v-if="!compact" :label="t('todo.phone')" width="150">
        <template #default="s">
          <el-link v-if="s.row.phone && ext" type="primary" class="task-call" @click="call(s.row)">☎ {{ s.row.phone }}</el-link>
          <span v-else>{{ s.row.phone || '—' }}</span>
        </template>
      </el-table-column>
      <el-table-column :label="t('todo.actions')" :width="compact ? 64 : 150">
        <template #default="s">
          <div :class="compact ? 'task-actions stacked' : 'task-actions'">
            <el-button size="small" type="success" link class="task-done" @click="end(s.row, 'done')">{{ t('todo.done') }}</el-button>
            <el-button size="small" link class="task-cancel" @click="end(s.row, 'cancel')">{{ t('todo.cancel') }}</el-button>
          </div>
        </template>
      </el-table-column>
    </el-table>
    <template v-if="pool.length">
      <div class="section-title">{{ t('todo.pool') }}</div>
      <el-table :data="pool" size="small" :row-class-name="rowClass" class="todo-pool">
        <el-table-column :label="t('todo.due')" width="110"><template #default="s">{{ when(s.row.due_at).slice(5, 16) }}</template></el-table-column>
        <el-table-column :label="t('todo.task')" prop="title" min-width="120" />
        <el-table-column :label="t('todo.queue')" prop="pool" width="80" />
        <el-table-column width="80"><template #default="s">
          <el-button size="small" type="primary" link class="task-claim" @click="claim(s.row)">{{ t('todo.claim') }}</el-button>
        </template></el-table-column>
      </el-table>
    </template>
  </el-card>`,
};
