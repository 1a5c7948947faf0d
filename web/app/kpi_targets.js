// kpi_targets: 指标目标 — the KPI targets the center sets in place of the
// reference's (GET/PUT/DELETE /api/v1/kpi-targets), for the whole center
// or one queue; opened from the 日报 page. Each row shows the reference's
// target, the center's own and the chosen queue's own, and the one being
// edited; a bound left empty is open. Ratios are typed as percentages and
// sent as fractions. Admins edit; supervisors read. Saving asks the server
// to check every row it sends, and nothing is kept when one is refused.
import { ref, computed, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { get, put, del, session } from './api.js';
import { kpiName, targetText, targetWords, forgetKpiDefs } from './reports_fmt.js';

// What people type ↔ what the API stores: percentages for ratios.
// A field left empty is an open end; anything not a number is refused here
// rather than sent as null.
const toShown = (v, unit) => (v == null ? '' : String(unit === 'ratio' ? +(v * 100).toFixed(4) : v));
function toStored(s, unit) {
  const v = String(s ?? '').trim();
  if (v === '') return null;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(t('targets.notNumber', { v }));
  return unit === 'ratio' ? n / 100 : n;
}
const unitLabel = unit => (unit === 'ratio' ? '%' : unit);

export default {
  props: { queue: { type: String, default: '' } },
  emits: ['saved'],
  setup(props, { emit }) {
    const scope = ref(props.queue);     // '' the center, else a queue
    const queues = ref([]), items = ref([]), edits = ref({}), loading = ref(false);
    const canEdit = computed(() => session.user && session.user.role === 'admin');

    // The stored row of x for the scope edited, or null.
    const own = x => (scope.value ? (x.queues.find(q => q.queue === scope.value) || null) : x.center);
    const fill = () => {
      const e = {};
      for (const x of items.value) {
        const o = own(x);
        e[x.id] = { lo: toShown(o && o.target_lo, x.unit), hi: toShown(o && o.target_hi, x.unit) };
      }
      edits.value = e;
    };
    const load = async () => {
      loading.value = true;
      try {
        items.value = (await get('/api/v1/kpi-targets')).items;
        fill();
      } catch (e) { ElMessage.error(e.message); }
      finally { loading.value = false; }
    };
    // The reference's range, read as the daily summary shows a target.
    const defText = x => targetText({ ...x, target_lo: x.default_lo, target_hi: x.default_hi, source: 'default' });
    const ownText = o => (!o ? '—' : (o.target_lo == null && o.target_hi == null) ? t('targets.open')
      : null);
    const rowText = (x, o) => ownText(o) ?? targetText({ ...x, ...o, source: 'own' });

    const afterChange = r => {
      items.value = r.items;
      fill();
      forgetKpiDefs();
      emit('saved');
    };
    const save = async x => {
      const e = edits.value[x.id];
      try {
        const body = { kpi: x.id, queue: scope.value, unit: x.unit,
          target_lo: toStored(e.lo, x.unit), target_hi: toStored(e.hi, x.unit) };
        afterChange(await put('/api/v1/kpi-targets', body));
        ElMessage.success(t('targets.saved', { name: kpiName(x) }));
      } catch (err) { ElMessage.error(err.message); }
    };
    const reset = async x => {
      try {
        afterChange(await del(`/api/v1/kpi-targets?kpi=${x.id}` +
          (scope.value ? '&queue=' + encodeURIComponent(scope.value) : '')));
        ElMessage.success(t('targets.reset', { name: kpiName(x) }));
      } catch (err) { ElMessage.error(err.message); }
    };
    onMounted(async () => {
      try { queues.value = (await get('/api/v1/queue-config')).items.map(x => x.name); }
      catch (e) { ElMessage.error(e.message); }
      load();
    });
    return { scope, queues, items, edits, loading, canEdit, own, fill, save, reset, defText, rowText, targetWords,
      unitLabel, t, kpiName };
  },
  template: `
  <div class="kpi-targets" v-loading="loading">
    <el-form inline class="report-bar">
      <el-form-item :label="t('targets.scope')">
        <el-select v-model="scope" :placeholder="t('targets.center')" style="width: 160px" class="targets-scope" @change="fill">
          <el-option value="" :label="t('targets.center')" />
          <el-option v-for="q in queues" :key="q" :value="q" :label="q" />
        </el-select>
      </el-form-item>
      <el-form-item><span class="hint">{{ t(canEdit ? 'targets.hint' : 'targets.readOnly') }}</span></el-form-item>
    </el-form>
    <el-table :data="items" size="small" border class="targets-table" row-key="id">
      <el-table-column :label="t('targets.kpi')" min-width="150">
        <template #default="s">{{ kpiName(s.row) }}</template>
      </el-table-column>
      <el-table-column :label="t('targets.reference')" min-width="120">
        <template #default="s"><span :title="targetWords(s.row)">{{ defText(s.row) }}</span></template>
      </el-table-column>
      <el-table-column :label="t('targets.centerOwn')" min-width="110">
        <template #default="s">{{ rowText(s.row, s.row.center) }}</template>
      </el-table-column>
      <el-table-column v-if="scope" :label="t('targets.queueOwn', { q: scope })" min-width="110">
        <template #default="s">{{ rowText(s.row, own(s.row)) }}</template>
      </el-table-column>
      <el-table-column v-if="canEdit" :label="t('targets.edit')" min-width="330">
        <template #default="s">
          <div class="targets-edit" :data-kpi="s.row.id">
            <el-input v-model="edits[s.row.id].lo" size="small" :placeholder="t('targets.lo')" class="t-lo"
              style="width: 80px" />
            –
            <el-input v-model="edits[s.row.id].hi" size="small" :placeholder="t('targets.hi')" class="t-hi"
              style="width: 80px" />
            <span class="unit">{{ unitLabel(s.row.unit) }}</span>
            <el-button size="small" type="primary" class="t-save" @click="save(s.row)">{{ t('targets.save') }}</el-button>
            <el-button v-if="own(s.row)" size="small" class="t-reset" @click="reset(s.row)">{{ t('targets.resetBtn') }}</el-button>
          </div>
        </template>
      </el-table-column>
    </el-table>
  </div>`,
};
