// wo_create: the form that writes a work order (新建工单), one dialog for
// the work-order page and the desk's screen pop: v-model opens it, prefill
// fills it (the pop's caller and call), `created` hands back the order the
// server stored. The lists (categories, services, priorities, types) are
// read when it first opens; the server's reason shows in the form.
import { ref, watch } from 'vue';
import { ElMessage } from 'element-plus';
import { t, lang } from './i18n.js';
import { get, post } from './api.js';

export default {
  props: { modelValue: Boolean, prefill: { type: Object, default: null } },
  emits: ['update:modelValue', 'created'],
  setup(props, { emit }) {
    const form = ref({}), error = ref(''), busy = ref(false);
    const meta = ref({ priorities: [], types: [] }), cats = ref([]), svcs = ref([]);
    let loaded = false;
    const loadLists = async () => {
      if (loaded) return;
      try {
        const [m, c, s] = await Promise.all([get('/api/v1/work-order-meta'),
          get('/api/v1/work-order-categories'), get('/api/v1/work-order-services')]);
        meta.value = m;
        cats.value = c.items.filter(x => x.active).map(x => x.name);
        svcs.value = s.items.filter(x => x.active).map(x => x.name);
        loaded = true;
      } catch (e) { error.value = e.message; }
    };
    const reset = () => {
      error.value = '';
      form.value = { title: '', category: '', service: '', priority: 'medium', type: 'question',
        customer_phone: '', call_id: '', description: '', ...(props.prefill || {}) };
      // The customer is answered when the work is done, unless told not to.
      form.value.reply_needed = !!(form.value.customer_phone || form.value.call_id);
    };
    watch(() => props.modelValue, v => { if (v) { reset(); loadLists(); } }, { immediate: true });
    const priName = p => {
      const m = meta.value.priorities.find(x => x.name === p);
      return m ? (lang.value === 'en' ? p : m.zh) : p;
    };
    const close = () => emit('update:modelValue', false);
    const submit = async () => {
      const f = { ...form.value };
      for (const k of ['customer_phone', 'call_id', 'description']) if (!f[k]) delete f[k];
      busy.value = true;
      try {
        const o = await post('/api/v1/work-orders', f);
        ElMessage.success(t('wo.created', { no: o.no }));
        close();
        emit('created', o);
      } catch (e) { error.value = e.message; }
      busy.value = false;
    };
    return { form, error, busy, meta, cats, svcs, priName, close, submit, t, lang };
  },
  template: `
  <el-dialog :model-value="modelValue" @update:model-value="v => $emit('update:modelValue', v)"
             :title="t('wo.new')" width="560px" append-to-body>
    <el-form label-width="96px" class="wo-form" @submit.prevent>
      <el-form-item :label="t('wo.title')"><el-input v-model="form.title" name="title" maxlength="200" /></el-form-item>
      <el-form-item :label="t('wo.category')">
        <el-select v-model="form.category" class="wo-category"><el-option v-for="c in cats" :key="c" :value="c" :label="c" /></el-select></el-form-item>
      <el-form-item :label="t('wo.service')">
        <el-select v-model="form.service" class="wo-service" filterable><el-option v-for="c in svcs" :key="c" :value="c" :label="c" /></el-select></el-form-item>
      <el-form-item :label="t('wo.priority')">
        <el-radio-group v-model="form.priority" class="wo-priority">
          <el-radio-button v-for="p in meta.priorities" :key="p.name" :value="p.name" :label="p.name">{{ priName(p.name) }}</el-radio-button>
        </el-radio-group></el-form-item>
      <el-form-item :label="t('wo.type')">
        <el-select v-model="form.type"><el-option v-for="p in meta.types" :key="p.name" :value="p.name" :label="lang === 'en' ? p.name : p.zh" /></el-select></el-form-item>
      <el-form-item :label="t('wo.customer')"><el-input v-model="form.customer_phone" name="customer_phone" /></el-form-item>
      <el-form-item :label="t('wo.call')"><el-input v-model="form.call_id" name="call_id" disabled /></el-form-item>
      <el-form-item :label="t('wo.replyNeeded')"><el-switch v-model="form.reply_needed" class="wo-reply" /></el-form-item>
      <el-form-item :label="t('wo.description')"><el-input v-model="form.description" type="textarea" :rows="3" name="description" /></el-form-item>
      <el-alert v-if="error" type="error" :title="error" :closable="false" show-icon class="form-error" />
    </el-form>
    <template #footer><el-button @click="close">{{ t('common.cancel') }}</el-button>
      <el-button type="primary" class="btn-create-wo" :loading="busy" @click="submit">{{ t('wo.submit') }}</el-button></template>
  </el-dialog>`,
};
