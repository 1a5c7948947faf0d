// qa_coach: 辅导 — teaching cases (录音辅导). An inspector or a lead marks
// a scored call as an excellent or a poor case: picks the evaluation,
// plays the whole recording to set the clip's start and end (or types the
// seconds), writes a note and shares it with a team. Everyone sees the
// cases shared with their team (the server decides which) and plays the
// clip: the server sends only the clip, so the player cannot leave it,
// and it stops at each comment the inspector pinned inside it (the
// reference's pause-and-guess: the agent says what they would answer,
// then plays on).
import { ref, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { get, post, del, session, withToken } from './api.js';
import { when, atClock } from './util.js';

const KIND_TAG = { excellent: 'success', poor: 'danger' };
const blank = () => ({ evaluation_id: '', kind: 'excellent', note: '', clip_from_s: 0, clip_to_s: 30, department_id: '' });

export default {
  setup() {
    const isEditor = ['qa', 'supervisor', 'admin'].includes(session.user.role);
    const cases = ref([]), loading = ref(false);
    const evals = ref([]), teams = ref([]), form = ref(blank()), call = ref(null);
    const refusal = ref(null), busy = ref(false), full = ref(null);
    const shown = ref(null), clip = ref(null), stopAtPins = ref(true);

    const load = async () => {
      loading.value = true;
      try { cases.value = (await get('/api/v1/qa/cases')).items; }
      catch (e) { ElMessage.error(e.message); }
      finally { loading.value = false; }
    };
    const loadChoices = async () => {
      try {
        const [e, d] = await Promise.all([get('/api/v1/qa/evaluations?limit=200'), get('/api/v1/qa/teams')]);
        evals.value = e.items;
        teams.value = d.items;
      } catch (e) { ElMessage.error(e.message); }
    };
    const pickEval = async id => {
      const e = evals.value.find(x => x.id === id);
      call.value = null;
      if (!e) return;
      try { call.value = await get(`/api/v1/calls/${e.call_id}`); }
      catch (err) { ElMessage.error(err.message); }
    };
    // The clip's ends from where the whole recording is playing.
    const setEnd = which => {
      const a = full.value;
      if (!a) return;
      form.value[which] = Math.round(a.currentTime * 10) / 10;
    };
    const create = async () => {
      busy.value = true;
      refusal.value = null;
      try {
        await post('/api/v1/qa/cases', { ...form.value, note: form.value.note.trim() });
        ElMessage.success(t('qa.coach.marked'));
        form.value = blank();
        call.value = null;
        load();
      } catch (e) {
        refusal.value = { error: e.message, problems: ((e.body && e.body.problems) || []).filter(p => p !== e.message) };
      } finally { busy.value = false; }
    };
    const withdraw = async c => {
      try { await del(`/api/v1/qa/cases/${c.id}`); load(); }
      catch (e) { ElMessage.error(e.message); }
    };
    const mine = c => c.created_by === session.user.username || session.user.role === 'admin';

    // The clip's player: pauses when it passes a pin (at_ms from the
    // clip's start), as 我的质检's coaching mode does.
    let lastT = 0;
    const onTime = () => {
      const a = clip.value;
      if (!a || !shown.value) return;
      const now = a.currentTime;
      if (stopAtPins.value && !a.paused &&
          shown.value.pins.some(p => p.at_ms / 1000 > lastT && p.at_ms / 1000 <= now)) a.pause();
      lastT = now;
    };
    const onSeeked = () => { lastT = clip.value ? clip.value.currentTime : 0; };
    const seek = ms => {
      if (!clip.value) return;
      clip.value.currentTime = ms / 1000;
      lastT = ms / 1000;
      clip.value.play().catch(() => {});
    };
    const show = c => { lastT = 0; shown.value = c; };
    const clipUrl = c => withToken(`/api/v1/qa/cases/${c.id}/clip`);
    const recUrl = c => withToken(`/api/v1/calls/${c.id}/recording`);
    const evalLabel = e => `${e.call_id} · ${e.agent} · ${e.final_score}`;
    onMounted(() => { load(); if (isEditor) loadChoices(); });
    return { isEditor, cases, loading, evals, teams, form, call, refusal, busy, full, shown, clip, stopAtPins,
      load, pickEval, setEnd, create, withdraw, mine, onTime, onSeeked, seek, show, clipUrl, recUrl, evalLabel,
      KIND_TAG, t, when, atClock };
  },
  template: `
  <div class="qa-coach">
    <el-card v-if="isEditor" shadow="never" class="qa-coach-new">
      <template #header>{{ t('qa.coach.new') }}</template>
      <el-form label-width="110px">
        <el-form-item :label="t('qa.evaluation')">
          <el-select v-model="form.evaluation_id" filterable class="qa-coach-eval" @change="pickEval">
            <el-option v-for="e in evals" :key="e.id" :value="e.id" :label="evalLabel(e)" />
          </el-select>
        </el-form-item>
        <el-form-item v-if="call && call.recording" :label="t('qa.coach.recording')">
          <audio ref="full" :src="recUrl(call)" controls preload="metadata" class="qa-coach-full"></audio>
          <el-button size="small" class="qa-coach-set-from" @click="setEnd('clip_from_s')">{{ t('qa.coach.setFrom') }}</el-button>
          <el-button size="small" class="qa-coach-set-to" @click="setEnd('clip_to_s')">{{ t('qa.coach.setTo') }}</el-button>
        </el-form-item>
        <el-form-item :label="t('qa.coach.clip')">
          <el-input-number v-model="form.clip_from_s" :min="0" :step="0.5" :precision="1" class="qa-coach-from" />
          <span class="qa-coach-dash">—</span>
          <el-input-number v-model="form.clip_to_s" :min="0" :step="0.5" :precision="1" class="qa-coach-to" />
          <span class="qa-coach-unit">{{ t('qa.coach.seconds') }}</span>
        </el-form-item>
        <el-form-item :label="t('qa.coach.kind')">
          <el-radio-group v-model="form.kind" class="qa-coach-kind">
            <el-radio-button value="excellent">{{ t('qa.coach.kind.excellent') }}</el-radio-button>
            <el-radio-button value="poor">{{ t('qa.coach.kind.poor') }}</el-radio-button>
          </el-radio-group>
        </el-form-item>
        <el-form-item :label="t('qa.coach.team')">
          <el-select v-model="form.department_id" class="qa-coach-team">
            <el-option v-for="d in teams" :key="d.id" :value="d.id" :label="d.name" />
          </el-select>
        </el-form-item>
        <el-form-item :label="t('qa.coach.note')"><el-input v-model="form.note" type="textarea" :rows="2" class="qa-coach-note" /></el-form-item>
        <el-form-item><el-button type="primary" class="qa-coach-create" :loading="busy" @click="create">{{ t('qa.coach.create') }}</el-button></el-form-item>
      </el-form>
      <el-alert v-if="refusal" type="error" :closable="false" class="qa-coach-refusal" :title="refusal.error">
        <div v-for="p in refusal.problems" :key="p">{{ p }}</div>
      </el-alert>
    </el-card>
    <div class="toolbar"><el-button class="qa-coach-refresh" @click="load">{{ t('qa.refresh') }}</el-button></div>
    <el-table :data="cases" v-loading="loading" class="qa-coach-cases" :empty-text="t('qa.coach.none')">
      <el-table-column :label="t('qa.coach.kind')" width="90"><template #default="s">
        <el-tag :type="KIND_TAG[s.row.kind]">{{ t('qa.coach.kind.' + s.row.kind) }}</el-tag></template></el-table-column>
      <el-table-column prop="note" :label="t('qa.coach.note')" min-width="180" />
      <el-table-column prop="call_id" :label="t('qa.call')" min-width="90" />
      <el-table-column prop="agent" :label="t('qa.agent')" width="80" />
      <el-table-column :label="t('qa.coach.clip')" width="130"><template #default="s">
        {{ atClock(s.row.clip_from_s * 1000) }} – {{ atClock(s.row.clip_to_s * 1000) }}</template></el-table-column>
      <el-table-column prop="department" :label="t('qa.coach.team')" width="90" />
      <el-table-column prop="created_by" :label="t('qa.inspector')" width="90" />
      <el-table-column width="160"><template #default="s">
        <el-button size="small" type="primary" class="qa-coach-play" @click="show(s.row)">{{ t('qa.coach.play') }}</el-button>
        <el-button v-if="isEditor && mine(s.row)" size="small" class="qa-coach-withdraw" @click="withdraw(s.row)">{{ t('qa.coach.withdraw') }}</el-button>
      </template></el-table-column>
    </el-table>
    <el-drawer :model-value="!!shown" @close="shown = null" :title="t('qa.coach.case')" size="45%" class="qa-coach-case">
      <template v-if="shown">
        <p class="qa-coach-head"><el-tag :type="KIND_TAG[shown.kind]">{{ t('qa.coach.kind.' + shown.kind) }}</el-tag>
          {{ shown.call_id }} · {{ shown.agent }} · {{ atClock(shown.clip_from_s * 1000) }} – {{ atClock(shown.clip_to_s * 1000) }}</p>
        <p class="qa-coach-text">{{ shown.note }}</p>
        <audio ref="clip" :src="clipUrl(shown)" controls preload="auto" class="qa-coach-audio"
          @timeupdate="onTime" @seeked="onSeeked"></audio>
        <el-checkbox v-if="shown.pins.length" v-model="stopAtPins" class="qa-coach-stop">{{ t('qa.stopAtPins') }}</el-checkbox>
        <ul class="qa-pins qa-coach-pins">
          <li v-for="(p, i) in shown.pins" :key="i">
            <el-link type="primary" @click="seek(p.at_ms)">{{ atClock(p.at_ms) }}</el-link>
            <span class="pin-text">{{ p.text }}</span>
          </li>
        </ul>
      </template>
    </el-drawer>
  </div>`,
};
