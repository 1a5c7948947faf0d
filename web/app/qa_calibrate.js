// qa_calibrate: 校准 — blind calibration sessions. A lead (supervisor,
// admin) opens one on a call: its scorecard and the inspectors who score
// it. An inspector (qa, admin) finds the calls waiting for them under 待我
// 校准 and scores them with the inspector's own form (qa_score.js); until
// they have saved, the server shows them nobody else's evaluation of the
// call. The sessions' list says who has scored; a session's report is
// the spread per item and per inspector as a heat map (yes green, partial
// amber, no red, N.A. grey), shown once the server lets the reader see it.
import { ref, computed, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { get, post, session } from './api.js';
import { when, pct } from './util.js';
import QaScore from './qa_score.js';

const CELL = { yes: '#e1f3d8', partial: '#faecd8', no: '#fde2e2', na: '#f4f4f5' };
// The spread of an item (0 agree … 1 yes against no) as a red of that depth.
const spreadColour = s => `rgba(245, 108, 108, ${(0.12 + 0.6 * (s || 0)).toFixed(2)})`;

export default {
  components: { QaScore },
  setup() {
    const role = session.user.role;
    const isLead = ['supervisor', 'admin'].includes(role);
    const isInspector = ['qa', 'admin'].includes(role);
    const sessions = ref([]), loading = ref(false);
    const cards = ref([]), inspectors = ref([]);
    const form = ref({ call_id: '', scorecard_id: '', inspectors: [], note: '' });
    const refusal = ref(null), busy = ref(false), shown = ref(null);

    const load = async () => {
      loading.value = true;
      try {
        sessions.value = (await get('/api/v1/qa/calibrations' + (isLead ? '' : '?inspector=me'))).items;
      } catch (e) { ElMessage.error(e.message); }
      finally { loading.value = false; }
    };
    const loadChoices = async () => {
      try {
        const [c, i] = await Promise.all([get('/api/v1/qa/scorecards'), get('/api/v1/qa/inspectors')]);
        cards.value = c.items.filter(x => x.active !== false);
        inspectors.value = i.items;
      } catch (e) { ElMessage.error(e.message); }
    };
    const create = async () => {
      const body = { call_id: form.value.call_id.trim(), inspectors: form.value.inspectors };
      if (form.value.scorecard_id) body.scorecard_id = form.value.scorecard_id;
      if (form.value.note.trim()) body.note = form.value.note.trim();
      busy.value = true;
      refusal.value = null;
      try {
        await post('/api/v1/qa/calibrations', body);
        ElMessage.success(t('qa.cal.opened'));
        form.value = { call_id: '', scorecard_id: '', inspectors: [], note: '' };
        load();
      } catch (e) {
        refusal.value = { error: e.message, problems: ((e.body && e.body.problems) || []).filter(p => p !== e.message) };
      } finally { busy.value = false; }
    };
    const show = async s => {
      try { shown.value = await get(`/api/v1/qa/calibrations/${s.id}`); }
      catch (e) { ElMessage.error(e.message); }
    };
    const close = async s => {
      try {
        shown.value = await post(`/api/v1/qa/calibrations/${s.id}/close`);
        ElMessage.success(t('qa.cal.closedOk'));
        load();
      } catch (e) { ElMessage.error(e.message); }
    };
    const report = computed(() => shown.value && shown.value.report);
    const names = computed(() => report.value ? report.value.inspectors.map(i => i.inspector) : []);
    onMounted(() => { load(); if (isLead) loadChoices(); });
    return { isLead, isInspector, sessions, loading, cards, inspectors, form, refusal, busy, shown,
      report, names, load, create, show, close, CELL, spreadColour, t, when, pct };
  },
  template: `
  <div class="qa-calibrate">
    <el-card v-if="isLead" shadow="never" class="qa-cal-new">
      <template #header>{{ t('qa.cal.new') }}</template>
      <el-form inline @submit.prevent="create">
        <el-form-item :label="t('qa.call')"><el-input v-model="form.call_id" class="qa-cal-call" /></el-form-item>
        <el-form-item :label="t('qa.scorecard')">
          <el-select v-model="form.scorecard_id" clearable class="qa-cal-card" :placeholder="t('qa.cal.cardAuto')">
            <el-option v-for="c in cards" :key="c.id" :value="c.id" :label="c.name + ' v' + c.version" />
          </el-select>
        </el-form-item>
        <el-form-item :label="t('qa.cal.inspectors')">
          <el-select v-model="form.inspectors" multiple class="qa-cal-inspectors">
            <el-option v-for="i in inspectors" :key="i.username" :value="i.username" :label="i.username" />
          </el-select>
        </el-form-item>
        <el-form-item :label="t('qa.cal.note')"><el-input v-model="form.note" class="qa-cal-note" /></el-form-item>
        <el-form-item><el-button type="primary" class="qa-cal-create" :loading="busy" @click="create">{{ t('qa.cal.create') }}</el-button></el-form-item>
      </el-form>
      <el-alert v-if="refusal" type="error" :closable="false" class="qa-cal-refusal" :title="refusal.error">
        <div v-for="p in refusal.problems" :key="p">{{ p }}</div>
      </el-alert>
    </el-card>
    <template v-if="isInspector">
      <h4>{{ t('qa.cal.pending') }}</h4>
      <qa-score mode="calibration" class="qa-cal-pending" @saved="load" />
    </template>
    <h4>{{ t('qa.cal.sessions') }}</h4>
    <div class="toolbar"><el-button class="qa-cal-refresh" @click="load">{{ t('qa.refresh') }}</el-button></div>
    <el-table :data="sessions" v-loading="loading" class="qa-cal-sessions" :empty-text="t('qa.cal.none')">
      <el-table-column prop="call_id" :label="t('qa.call')" min-width="110" />
      <el-table-column prop="agent" :label="t('qa.agent')" width="80" />
      <el-table-column prop="scorecard" :label="t('qa.scorecard')" min-width="110" />
      <el-table-column :label="t('qa.cal.inspectors')" min-width="180"><template #default="s">
        <el-tag v-for="i in s.row.inspectors" :key="i.username" size="small" :type="i.scored ? 'success' : 'info'"
          class="qa-cal-who">{{ i.username }}{{ i.scored ? ' ✓' : '' }}</el-tag></template></el-table-column>
      <el-table-column :label="t('qa.state')" width="90"><template #default="s">
        <el-tag :type="s.row.state === 'open' ? 'warning' : 'success'">{{ t('qa.cal.state.' + s.row.state) }}</el-tag></template></el-table-column>
      <el-table-column :label="t('qa.cal.createdAt')" width="160"><template #default="s">{{ when(s.row.created_at) }}</template></el-table-column>
      <el-table-column width="160"><template #default="s">
        <el-button size="small" class="qa-cal-show" @click="show(s.row)">{{ t('qa.cal.report') }}</el-button>
        <el-button v-if="isLead && s.row.state === 'open'" size="small" type="warning" class="qa-cal-close"
          @click="close(s.row)">{{ t('qa.cal.close') }}</el-button>
      </template></el-table-column>
    </el-table>
    <el-drawer :model-value="!!shown" @close="shown = null" :title="t('qa.cal.report')" size="60%" class="qa-cal-report">
      <template v-if="shown">
        <p class="qa-cal-head">{{ shown.call_id }} · {{ shown.scorecard }} · {{ t('qa.cal.state.' + shown.state) }}<span v-if="shown.note"> · {{ shown.note }}</span></p>
        <el-alert v-if="!report" type="info" :closable="false" class="qa-cal-blind"
          :title="shown.mine.blind ? t('qa.cal.blind') : shown.report_note" />
        <template v-if="report">
          <p class="qa-cal-scores">{{ t('qa.cal.scores', { n: report.evaluations, mean: report.score.mean, sd: report.score.sd, min: report.score.min, max: report.score.max }) }}</p>
          <table class="qa-heat">
            <thead><tr><th>{{ t('qa.item') }}</th><th v-for="n in names" :key="n">{{ n }}</th>
              <th>{{ t('qa.cal.consensus') }}</th><th>{{ t('qa.cal.agreement') }}</th><th>{{ t('qa.cal.spread') }}</th></tr></thead>
            <tbody><tr v-for="it in report.items" :key="it.id" :data-item="it.id">
              <td>{{ it.text }}</td>
              <td v-for="n in names" :key="n" class="qa-heat-cell" :data-answer="it.answers[n] || ''"
                :style="{ background: CELL[it.answers[n]] || '#fff' }">{{ it.answers[n] ? t('qa.ans.' + it.answers[n]) : '—' }}</td>
              <td>{{ it.consensus ? t('qa.ans.' + it.consensus) : '—' }}</td>
              <td>{{ pct(it.agreement) }}</td>
              <td class="qa-heat-spread" :style="{ background: spreadColour(it.spread) }">{{ it.spread }}</td>
            </tr></tbody>
          </table>
          <el-table :data="report.inspectors" size="small" class="qa-cal-inspector-table qa-gap">
            <el-table-column prop="inspector" :label="t('qa.inspector')" />
            <el-table-column prop="score" :label="t('qa.score')" />
            <el-table-column prop="deviation" :label="t('qa.cal.deviation')" />
            <el-table-column prop="differences" :label="t('qa.cal.differences')" />
          </el-table>
        </template>
      </template>
    </el-drawer>
  </div>`,
};
