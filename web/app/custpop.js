// custpop: the customer card of the desk's screen pop — who is calling
// (name, service level, blacklist, tags), the notes left for the next
// call (editable here, saved to the customer), and a link to the
// customer's page. A caller nobody has named yet (no record, or the one
// Hotline made by itself from the number) is a "new customer" with a
// quick form. Below it a slot for what other modules add to the pop
// (work orders, knowledge-base suggestions): <div class="pop-slot">.
import { ref, watch } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { get, post, put } from './api.js';

export const levelTag = l => ({ vip: 'danger', gold: 'warning', silver: 'info' }[l] || '');

export default {
  props: { number: { type: String, default: '' } },
  setup(props) {
    const cust = ref(null);
    const loading = ref(false);
    const unknown = ref(false);
    const notes = ref('');
    const quick = ref({ name: '', company: '', notes: '' });
    const busy = ref(false);
    const load = async n => {
      cust.value = null;
      unknown.value = false;
      if (!n) return;
      loading.value = true;
      try {
        const r = await get('/api/v1/customers?limit=1&phone=' + encodeURIComponent(n));
        cust.value = r.items[0] || null;
      } catch (e) { cust.value = null; }
      loading.value = false;
      // Made by Hotline from the number alone: nobody has named them yet.
      unknown.value = !cust.value || (cust.value.source === 'call' && cust.value.name === n);
      notes.value = cust.value ? cust.value.notes : '';
      quick.value = { name: '', company: '', notes: '' };
    };
    watch(() => props.number, load, { immediate: true });
    const saveNotes = async () => {
      busy.value = true;
      try {
        cust.value = await put(`/api/v1/customers/${cust.value.id}`, { notes: notes.value });
        ElMessage.success(t('cust.saved'));
      } catch (e) { ElMessage.error(e.message); }
      busy.value = false;
    };
    const create = async () => {
      if (!quick.value.name) { ElMessage.error(t('cust.needName')); return; }
      busy.value = true;
      try {
        cust.value = cust.value
          ? await put(`/api/v1/customers/${cust.value.id}`, quick.value)
          : await post('/api/v1/customers', { ...quick.value, phones: [props.number] });
        unknown.value = false;
        notes.value = cust.value.notes;
        ElMessage.success(t('cust.saved'));
      } catch (e) { ElMessage.error(e.message); }
      busy.value = false;
    };
    return { cust, loading, unknown, notes, quick, busy, saveNotes, create, levelTag, t };
  },
  template: `
  <div class="cust-pop" v-loading="loading">
    <template v-if="cust && !unknown">
      <div class="row cust-head">
        <b class="cust-name" data-field="cust-name">{{ cust.name }}</b>
        <el-tag :type="levelTag(cust.level)" :effect="cust.level === 'normal' ? 'plain' : 'dark'" size="small" class="cust-level"
                :data-level="cust.level">{{ t('cust.level.' + cust.level) }}</el-tag>
        <el-tag v-if="cust.blacklisted" type="danger" size="small">{{ t('cust.blacklisted') }}</el-tag>
        <span class="muted">{{ cust.company }}</span>
        <span class="spacer"></span>
        <a :href="'#/customers/' + cust.id" class="cust-link">{{ t('cust.open') }}</a>
      </div>
      <div class="cust-tags">
        <el-tag v-for="g in cust.tags" :key="g" size="small" effect="plain" class="cust-tag">{{ g }}</el-tag>
        <span v-if="cust.owner" class="muted">{{ t('cust.owner') }} {{ cust.owner }}</span>
      </div>
      <div class="cust-notes">
        <el-input v-model="notes" type="textarea" :rows="2" maxlength="2000"
                  :placeholder="t('cust.notesHint')" class="cust-notes-input" />
        <el-button size="small" :loading="busy" :disabled="notes === cust.notes" @click="saveNotes"
                   class="btn-notes">{{ t('cust.saveNotes') }}</el-button>
      </div>
    </template>
    <template v-else-if="number">
      <div class="row cust-head"><el-tag type="success" effect="dark" class="cust-new">{{ t('cust.new') }}</el-tag>
        <span class="muted">{{ t('cust.newHint') }}</span></div>
      <el-form inline size="small" class="cust-quick" @submit.prevent>
        <el-form-item :label="t('cust.name')"><el-input v-model="quick.name" class="quick-name" /></el-form-item>
        <el-form-item :label="t('cust.company')"><el-input v-model="quick.company" /></el-form-item>
        <el-form-item :label="t('cust.notes')"><el-input v-model="quick.notes" class="quick-notes" /></el-form-item>
        <el-form-item><el-button type="primary" :loading="busy" @click="create" class="btn-quick">{{ t('cust.create') }}</el-button></el-form-item>
      </el-form>
    </template>
    <div class="pop-slot" data-slot="work-orders"></div>
    <div class="pop-slot" data-slot="kb"></div>
  </div>`,
};
