// custdup: the customers page's 重复客户 view — the names more than one
// live customer has (GET /api/v1/customers/duplicates), each group's
// records side by side with what each carries (numbers, tags, calls, work
// orders, tasks), so a lead picks the one to keep, confirms, and the
// others are merged into it (POST /customers/{keep}/merge, one per other
// record; each is one transaction on the server). Nothing is preselected:
// which record is the customer's is the person's call, not ours.
import { ref, reactive, onMounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { t } from './i18n.js';
import { get, post } from './api.js';
import { when } from './util.js';
import { levelTag } from './custpop.js';

export default {
  emits: ['merged'],
  setup(_, { emit }) {
    const groups = ref([]), loading = ref(false), busy = ref('');
    const keep = reactive({});
    const load = async () => {
      loading.value = true;
      try {
        groups.value = (await get('/api/v1/customers/duplicates')).items;
        for (const k of Object.keys(keep))
          if (!groups.value.some(g => g.name === k)) delete keep[k];
      } catch (e) { ElMessage.error(e.message); }
      loading.value = false;
    };
    const numbers = c => c.phones.map(p => p.number).join('，') || t('common.none');
    const merge = async g => {
      const kept = g.customers.find(c => c.id === keep[g.name]);
      const others = g.customers.filter(c => c.id !== kept.id);
      try {
        await ElMessageBox.confirm(t('cust.dup.ask', { name: kept.name, numbers: numbers(kept),
          n: others.length }), t('cust.dup.merge'),
          { type: 'warning', confirmButtonText: t('cust.dup.merge'), cancelButtonText: t('common.cancel') });
      } catch (e) { return; }
      busy.value = g.name;
      try {
        for (const o of others)
          await post(`/api/v1/customers/${kept.id}/merge`, { from: o.id });
        ElMessage.success(t('cust.dup.done', { name: kept.name, n: others.length }));
        delete keep[g.name];
        emit('merged', kept.id);
      } catch (e) { ElMessage.error(e.message); }
      busy.value = '';
      load();
    };
    onMounted(load);
    return { groups, loading, busy, keep, load, merge, numbers, levelTag, when, t };
  },
  template: `
  <div class="cust-dups" v-loading="loading">
    <div class="dup-bar" style="display: flex; align-items: center; gap: 8px; margin-bottom: 8px">
      <span class="muted">{{ t('cust.dup.hint') }}</span>
      <span class="spacer"></span>
      <el-button size="small" @click="load" class="btn-dup-refresh">{{ t('common.refresh') }}</el-button>
    </div>
    <el-empty v-if="!loading && !groups.length" :description="t('cust.dup.none')" class="dup-none" />
    <el-card v-for="g in groups" :key="g.name" shadow="never" class="dup-group" :data-name="g.name" style="margin-bottom: 12px">
      <template #header>
        <div class="dup-head" style="display: flex; align-items: center; gap: 8px">
          <b class="dup-name">{{ g.name }}</b>
          <span class="muted">{{ t('cust.dup.records', { n: g.customers.length }) }}</span>
          <span class="spacer"></span>
          <span v-if="!keep[g.name]" class="muted">{{ t('cust.dup.pick') }}</span>
          <el-button type="primary" size="small" class="btn-merge" :disabled="!keep[g.name]"
                     :loading="busy === g.name" @click="merge(g)">{{ t('cust.dup.merge') }}</el-button>
        </div>
      </template>
      <div class="dup-cols" style="display: flex; gap: 12px; overflow-x: auto">
        <div v-for="c in g.customers" :key="c.id" class="dup-col" :class="{ kept: keep[g.name] === c.id }"
             :style="{ flex: '1 1 0', minWidth: '260px', padding: '8px', cursor: 'pointer', borderRadius: '4px',
                       border: keep[g.name] === c.id ? '2px solid var(--el-color-primary)' : '2px solid var(--el-border-color-lighter)' }"
             :data-id="c.id" @click="keep[g.name] = c.id">
          <el-radio :model-value="keep[g.name]" :value="c.id" class="dup-keep">{{ t('cust.dup.keep') }}</el-radio>
          <el-descriptions :column="1" size="small" border class="dup-card">
            <el-descriptions-item :label="t('cust.name')">{{ c.name }}
              <el-tag :type="levelTag(c.level)" size="small">{{ t('cust.level.' + c.level) }}</el-tag>
              <el-tag v-if="c.blacklisted" type="danger" size="small">{{ t('cust.black') }}</el-tag></el-descriptions-item>
            <el-descriptions-item :label="t('cust.phones')"><span class="dup-phones">{{ numbers(c) }}</span></el-descriptions-item>
            <el-descriptions-item :label="t('cust.company')">{{ c.company || t('common.none') }}</el-descriptions-item>
            <el-descriptions-item :label="t('cust.tags')">
              <el-tag v-for="tg in c.tags" :key="tg" size="small" effect="plain" class="cust-tag">{{ tg }}</el-tag>
              <span v-if="!c.tags.length">{{ t('common.none') }}</span></el-descriptions-item>
            <el-descriptions-item :label="t('cust.owner')">{{ c.owner || t('common.none') }}</el-descriptions-item>
            <el-descriptions-item :label="t('cust.notes')"><span class="dup-notes">{{ c.notes || t('common.none') }}</span></el-descriptions-item>
            <el-descriptions-item :label="t('cust.dup.has')">
              <span class="dup-counts">{{ t('cust.dup.counts', c.counts) }}</span></el-descriptions-item>
            <el-descriptions-item :label="t('cust.dup.created')">{{ when(c.created_at) }}</el-descriptions-item>
          </el-descriptions>
        </div>
      </div>
    </el-card>
  </div>`,
};
