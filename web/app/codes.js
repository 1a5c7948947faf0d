// codes: the administrator's two short lists (示忙原因与小结代码) — the
// reasons an agent gives for not ready, and the wrap-up codes filed after
// each call (for every queue, or one). Two tables and one edit dialog; what
// the server refuses is shown with its reason, next to the form.
import { ref, onMounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { t, lang } from './i18n.js';
import { get, post, put, del } from './api.js';

const paths = { reasons: '/api/v1/not-ready-reasons', codes: '/api/v1/wrapup-codes' };

export default {
  setup() {
    const lists = ref({ reasons: [], codes: [] });
    const queues = ref([]);
    const dialog = ref(false), form = ref({}), error = ref(''), kind = ref('reasons'),
      isNew = ref(false);
    const load = async () => {
      try {
        const [r, c, q] = await Promise.all([get(paths.reasons), get(paths.codes),
          get('/api/v1/queues')]);
        lists.value = { reasons: r.items, codes: c.items };
        queues.value = (q.items || q.queues || []).map(x => x.name);
      } catch (e) { ElMessage.error(e.message); }
    };
    const edit = (k, row) => {
      kind.value = k;
      isNew.value = !row;
      error.value = '';
      form.value = row ? { ...row, queue: row.queue || '' } :
        { code: '', label_zh: '', label_en: '', sort: 0, active: true, queue: '' };
      dialog.value = true;
    };
    const save = async () => {
      const f = form.value;
      const body = { label_zh: f.label_zh, label_en: f.label_en, sort: f.sort, active: f.active };
      if (kind.value === 'codes') body.queue = f.queue || null;
      try {
        if (isNew.value) await post(paths[kind.value], { code: f.code, ...body });
        else await put(paths[kind.value] + '/' + encodeURIComponent(f.code), body);
        dialog.value = false;
        ElMessage.success(t('codes.saved'));
        load();
      } catch (e) { error.value = e.message; }
    };
    const remove = async (k, row) => {
      try {
        await ElMessageBox.confirm(row.code, t('common.delete'), { type: 'warning' });
        await del(paths[k] + '/' + encodeURIComponent(row.code));
        load();
      } catch (e) { if (e && e.message) ElMessage.error(e.message); }
    };
    onMounted(load);
    return { lists, queues, dialog, form, error, kind, isNew, edit, save, remove, t, lang };
  },
  template: `
  <div class="codes">
  <el-card v-for="k in ['reasons', 'codes']" :key="k" shadow="never" :class="'codes-' + k">
    <template #header><b>{{ t('codes.' + k) }}</b>
      <span class="muted hint">{{ t('codes.' + k + 'Hint') }}</span>
      <el-button type="primary" size="small" class="right" :class="'btn-new-' + k" @click="edit(k, null)">{{ t('common.create') }}</el-button></template>
    <el-table :data="lists[k]" size="small" :class="'table-' + k">
      <el-table-column prop="code" :label="t('codes.code')" width="140" />
      <el-table-column prop="label_zh" :label="t('codes.labelZh')" width="160" />
      <el-table-column prop="label_en" :label="t('codes.labelEn')" width="180" />
      <el-table-column v-if="k === 'codes'" :label="t('desk.queue')" width="130">
        <template #default="s">{{ s.row.queue || t('codes.allQueues') }}</template></el-table-column>
      <el-table-column prop="sort" :label="t('codes.sort')" width="80" />
      <el-table-column :label="t('codes.active')" width="90">
        <template #default="s"><el-tag :type="s.row.active ? 'success' : 'info'" size="small">{{ s.row.active ? t('codes.on') : t('codes.off') }}</el-tag></template></el-table-column>
      <el-table-column>
        <template #default="s">
          <el-button size="small" link type="primary" @click="edit(k, s.row)">{{ t('common.edit') }}</el-button>
          <el-button size="small" link type="danger" @click="remove(k, s.row)">{{ t('common.delete') }}</el-button>
        </template></el-table-column>
    </el-table>
  </el-card>
  <el-dialog v-model="dialog" :title="(isNew ? t('common.create') : t('common.edit')) + ' · ' + t('codes.' + kind)" width="480px">
    <el-form label-width="110px" class="code-form">
      <el-form-item :label="t('codes.code')"><el-input v-model="form.code" :disabled="!isNew" name="code" /></el-form-item>
      <el-form-item :label="t('codes.labelZh')"><el-input v-model="form.label_zh" name="label_zh" /></el-form-item>
      <el-form-item :label="t('codes.labelEn')"><el-input v-model="form.label_en" name="label_en" /></el-form-item>
      <el-form-item v-if="kind === 'codes'" :label="t('desk.queue')">
        <el-select v-model="form.queue" clearable :placeholder="t('codes.allQueues')" class="code-queue">
          <el-option :value="''" :label="t('codes.allQueues')" />
          <el-option v-for="q in queues" :key="q" :value="q" :label="q" />
        </el-select></el-form-item>
      <el-form-item :label="t('codes.sort')"><el-input-number v-model="form.sort" :min="-1000000" :max="1000000" /></el-form-item>
      <el-form-item :label="t('codes.active')"><el-switch v-model="form.active" /></el-form-item>
      <el-alert v-if="error" type="error" :title="error" :closable="false" show-icon class="form-error" />
    </el-form>
    <template #footer><el-button @click="dialog = false">{{ t('common.cancel') }}</el-button>
      <el-button type="primary" class="btn-save-code" @click="save">{{ t('common.save') }}</el-button></template>
  </el-dialog>
  </div>`,
};
