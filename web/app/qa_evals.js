// qa_evals: evaluations and their appeals. mode "mine" is the agent's 我的
// 质检 (the server gives an agent only their own): the score, each item's
// answer and comment, the comments pinned to the recording (click one to
// play from there), the history, and 申诉 with a reason while the
// deadline holds. mode "appeals" is the lead's 申诉处理: the appealed
// evaluations in their data scope, each upheld or changed to a new score
// with a reason. A refusal shows the server's reason.
import { ref, onMounted, onUnmounted } from 'vue';
import { onEvent } from './live.js';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { get, post, withToken } from './api.js';
import { when, atClock } from './util.js';

const STATE_TAG = { scored: 'info', appealed: 'warning', upheld: 'success', changed: 'primary' };

export default {
  props: { mode: { type: String, required: true } },
  setup(props) {
    const items = ref([]), loading = ref(false);
    const ev = ref(null), texts = ref({}), audio = ref(null);
    const reason = ref(''), outcome = ref('upheld'), score = ref(null), busy = ref(false);

    const load = async () => {
      loading.value = true;
      const q = props.mode === 'appeals' ? '?state=appealed&limit=200' : '?limit=200';
      try { items.value = (await get('/api/v1/qa/evaluations' + q)).items; }
      catch (e) { ElMessage.error(e.message); }
      finally { loading.value = false; }
    };
    // Item texts come from the scorecard version the call was scored on.
    const open = async row => {
      try {
        const e = await get(`/api/v1/qa/evaluations/${row.id}`);
        const card = await get(`/api/v1/qa/scorecards/${e.scorecard_id}?version=${e.scorecard_version}`);
        const map = {};
        for (const s of card.sections) for (const it of s.items) map[it.id] = { ...it, section: s.title };
        texts.value = map;
        reason.value = ''; outcome.value = 'upheld'; score.value = e.final_score;
        ev.value = e;
      } catch (e) { ElMessage.error(e.message); }
    };
    // In the scorecard's order (texts is filled in it), not the answers'.
    const answerRows = e => Object.keys(texts.value).filter(id => e.answers[id]).map(id => {
      const a = e.answers[id];
      return { id, section: texts.value[id].section, text: texts.value[id].text,
        answer: typeof a === 'string' ? a : a.answer, comment: typeof a === 'string' ? '' : a.comment || '' };
    });
    const seek = ms => {
      if (!audio.value) return;
      audio.value.currentTime = ms / 1000;
      lastT = ms / 1000;
      audio.value.play().catch(() => {});
    };
    const send = async (path, body) => {
      busy.value = true;
      try {
        ev.value = await post(`/api/v1/qa/evaluations/${ev.value.id}/${path}`, body);
        ElMessage.success(t('qa.done'));
        load();
      } catch (e) { ElMessage.error(e.message); }
      finally { busy.value = false; }
    };
    const appeal = () => send('appeal', { reason: reason.value.trim() });
    const decide = () => send('decision', outcome.value === 'changed'
      ? { outcome: 'changed', reason: reason.value.trim(), score: score.value }
      : { outcome: 'upheld', reason: reason.value.trim() });
    // Coaching (录音辅导): the recording stops at each pinned moment, so the
    // agent can say how they would answer before hearing the rest.
    const stopAtPins = ref(false);
    let lastT = 0;
    const onTime = () => {
      const a = audio.value;
      if (!a || !ev.value) return;
      const now = a.currentTime;
      if (stopAtPins.value && !a.paused &&
          ev.value.pins.some(p => p.at_ms / 1000 > lastT && p.at_ms / 1000 <= now)) a.pause();
      lastT = now;
    };
    const onSeeked = () => { lastT = audio.value ? audio.value.currentTime : 0; };
    const recUrl = e => withToken(`/api/v1/calls/${e.call_id}/recording`);
    const canAppeal = e => props.mode === 'mine' && e.state === 'scored' && !e.appeal &&
      (!e.appeal_deadline || new Date(e.appeal_deadline) > new Date());
    // A new score, appeal or decision shows in the list as it happens.
    onUnmounted(onEvent(e => { if (e.type && e.type.startsWith('qa.')) load(); }));
    onMounted(load);
    return { items, loading, ev, audio, reason, outcome, score, busy, open, answerRows, seek,
      appeal, decide, recUrl, canAppeal, stopAtPins, onTime, onSeeked, load, STATE_TAG, t, when, atClock };
  },
  template: `
  <div class="qa-evals">
    <div class="toolbar"><el-button @click="load">{{ t('qa.refresh') }}</el-button></div>
    <el-table :data="items" v-loading="loading" :class="'qa-eval-table qa-' + mode" :empty-text="t('qa.noEvals')">
      <el-table-column :label="t('qa.scoredAt')" width="170"><template #default="s">
        <el-link class="qa-eval-open" @click="open(s.row)">{{ when(s.row.created_at) }}</el-link></template></el-table-column>
      <el-table-column prop="call_id" :label="t('qa.call')" min-width="110" />
      <el-table-column prop="agent" :label="t('qa.agent')" width="90" />
      <el-table-column prop="inspector" :label="t('qa.inspector')" width="100" />
      <el-table-column prop="score" :label="t('qa.score')" width="90" />
      <el-table-column prop="final_score" :label="t('qa.finalScore')" width="100" />
      <el-table-column :label="t('qa.state')" width="100"><template #default="s">
        <el-tag :type="STATE_TAG[s.row.state]">{{ t('qa.state.' + s.row.state) }}</el-tag></template></el-table-column>
    </el-table>
    <el-drawer :model-value="!!ev" @close="ev = null" :title="t('qa.evaluation')" size="50%" class="qa-eval">
      <template v-if="ev">
        <el-descriptions :column="3" border size="small" class="qa-eval-head">
          <el-descriptions-item :label="t('qa.score')">{{ ev.score }}</el-descriptions-item>
          <el-descriptions-item :label="t('qa.finalScore')"><b class="qa-final">{{ ev.final_score }}</b></el-descriptions-item>
          <el-descriptions-item :label="t('qa.state')">{{ t('qa.state.' + ev.state) }}</el-descriptions-item>
          <el-descriptions-item :label="t('qa.agent')">{{ ev.agent }}</el-descriptions-item>
          <el-descriptions-item :label="t('qa.inspector')">{{ ev.inspector }}</el-descriptions-item>
          <el-descriptions-item :label="t('qa.deadline')">{{ when(ev.appeal_deadline) }}</el-descriptions-item>
        </el-descriptions>
        <el-alert v-if="ev.failed_critical" type="error" :closable="false" :title="t('qa.failedCritical')" class="qa-gap" />
        <audio ref="audio" :src="recUrl(ev)" controls preload="metadata" class="qa-eval-audio"
          @timeupdate="onTime" @seeked="onSeeked"></audio>
        <el-checkbox v-if="ev.pins.length" v-model="stopAtPins" class="qa-stop-pins">{{ t('qa.stopAtPins') }}</el-checkbox>
        <ul class="qa-pins">
          <li v-for="(p, i) in ev.pins" :key="i">
            <el-link type="primary" @click="seek(p.at_ms)">{{ atClock(p.at_ms) }}</el-link>
            <span class="pin-text">{{ p.text }}</span>
          </li>
        </ul>
        <el-table :data="answerRows(ev)" size="small" class="qa-answers">
          <el-table-column prop="section" :label="t('qa.section')" width="90" />
          <el-table-column prop="text" :label="t('qa.item')" min-width="120" />
          <el-table-column :label="t('qa.answer')" width="80"><template #default="s">{{ t('qa.ans.' + s.row.answer) }}</template></el-table-column>
          <el-table-column prop="comment" :label="t('qa.itemComment')" min-width="120" />
        </el-table>
        <p v-if="ev.comment" class="qa-overall">{{ t('qa.comment') }}：{{ ev.comment }}</p>
        <el-descriptions v-if="ev.appeal" :column="1" border size="small" class="qa-appeal qa-gap">
          <el-descriptions-item :label="t('qa.appealReason')">{{ ev.appeal.reason }}</el-descriptions-item>
          <el-descriptions-item v-if="ev.appeal.outcome" :label="t('qa.outcome')">{{ t('qa.state.' + ev.appeal.outcome) }} · {{ ev.appeal.decided_by }}</el-descriptions-item>
          <el-descriptions-item v-if="ev.appeal.decision" :label="t('qa.decisionReason')">{{ ev.appeal.decision }}</el-descriptions-item>
        </el-descriptions>
        <div v-if="canAppeal(ev)" class="qa-act qa-gap">
          <el-input v-model="reason" type="textarea" :rows="2" class="qa-reason" :placeholder="t('qa.appealHint')" />
          <el-button type="warning" class="qa-appeal-btn" :loading="busy" @click="appeal">{{ t('qa.appeal') }}</el-button>
        </div>
        <div v-if="mode === 'appeals' && ev.state === 'appealed'" class="qa-act qa-gap">
          <el-radio-group v-model="outcome" class="qa-outcome">
            <el-radio-button value="upheld">{{ t('qa.uphold') }}</el-radio-button>
            <el-radio-button value="changed">{{ t('qa.change') }}</el-radio-button>
          </el-radio-group>
          <el-input-number v-if="outcome === 'changed'" v-model="score" :min="0" :max="100" :precision="2" class="qa-new-score" />
          <el-input v-model="reason" type="textarea" :rows="2" class="qa-reason" :placeholder="t('qa.decisionHint')" />
          <el-button type="primary" class="qa-decide" :loading="busy" @click="decide">{{ t('qa.decide') }}</el-button>
        </div>
        <h4>{{ t('qa.history') }}</h4>
        <el-timeline class="qa-history">
          <el-timeline-item v-for="h in ev.history" :key="h.step" :timestamp="when(h.at)">{{ t('qa.step.' + h.action) }} · {{ h.by }}</el-timeline-item>
        </el-timeline>
      </template>
    </el-drawer>
  </div>`,
};
