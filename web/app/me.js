// me: the personal page (个人中心) — who the person is in the center, their
// day so far when they take calls, and their password (个人资料及密码修改):
// the current one proved, every session ended, sign in again. Below: the
// to-do list (待办事宜, todo.js) and the notices (消息, notices.js).
import { ref, computed } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { post, session, logout } from './api.js';
import { live } from './live.js';
import { clock } from './util.js';
import Todo from './todo.js';
import Inbox from './notices.js';

export default {
  components: { Todo, Inbox },
  setup() {
    const u = session.user;
    const me = computed(() => (u.extension && live.agents[u.extension]) || null);
    const form = ref({ current: '', next: '', again: '' });
    const error = ref('');
    const change = async () => {
      error.value = '';
      if (form.value.next !== form.value.again) { error.value = t('me.mismatch'); return; }
      try {
        await post('/api/v1/auth/password', { current: form.value.current, new: form.value.next });
        ElMessage.success(t('me.changed'));
        await logout();
      } catch (e) { error.value = e.message; }
    };
    return { u, me, form, error, change, t, clock };
  },
  template: `
  <el-row :gutter="16" class="me">
    <el-col :span="12">
      <el-card shadow="never">
        <template #header><b>{{ t('me.profile') }}</b></template>
        <el-descriptions :column="1" border>
          <el-descriptions-item :label="t('login.user')">{{ u.username }}</el-descriptions-item>
          <el-descriptions-item :label="t('users.role')">{{ t('role.' + u.role) }}</el-descriptions-item>
          <el-descriptions-item :label="t('desk.ext')">{{ u.extension || '—' }}</el-descriptions-item>
          <template v-if="me">
            <el-descriptions-item :label="t('desk.state')">{{ t('state.' + me.state) }}</el-descriptions-item>
            <el-descriptions-item :label="t('wb.calls')">{{ me.calls_today }}</el-descriptions-item>
            <el-descriptions-item :label="t('me.talkToday')">{{ clock((me.talk_ms_today || 0) / 1000) }}</el-descriptions-item>
          </template>
        </el-descriptions>
      </el-card>
    </el-col>
    <el-col :span="12">
      <el-card shadow="never">
        <template #header><b>{{ t('me.password') }}</b></template>
        <el-form label-width="120px" @submit.prevent="change">
          <el-form-item :label="t('me.current')"><el-input v-model="form.current" type="password" show-password name="current" /></el-form-item>
          <el-form-item :label="t('me.new')"><el-input v-model="form.next" type="password" show-password name="new" /></el-form-item>
          <el-form-item :label="t('me.again')"><el-input v-model="form.again" type="password" show-password name="again" /></el-form-item>
          <el-alert v-if="error" type="error" :title="error" :closable="false" show-icon class="form-error" />
          <el-form-item><el-button type="primary" @click="change" class="btn-password">{{ t('common.save') }}</el-button></el-form-item>
        </el-form>
        <div class="muted">{{ t('me.note') }}</div>
      </el-card>
    </el-col>
  </el-row>
  <el-row :gutter="16" class="me me-work">
    <el-col :span="14"><todo /></el-col>
    <el-col :span="10"><inbox /></el-col>
  </el-row>`,
};
