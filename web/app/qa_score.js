// qa_score: the inspector's 待质检 — the calls sampled for them and not
// yet scored; opening one plays its recording (speed 0.75–2×), shows the
// scorecard for the call's queue (each item yes / no / partial / N.A.
// with a comment), takes comments pinned to the moment the recording is
// at, and saves the evaluation. A refusal shows the server's reason and
// every problem it listed; nothing is kept then, so the form stays.
// mode "calibration" lists instead the calibration sessions waiting for
// the inspector's score (qa_calibrate.js), each on its session's card.
// Under the player, the recording's two lanes (timeline.js), as in the
// call's details: a click on them seeks.
import { ref, watch, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { get, post, withToken } from './api.js';
import { when, clock, atClock, audioParts } from './util.js';
import AudioTimeline from './timeline.js';

const ANSWERS = ['yes', 'no', 'partial', 'na'];
const SPEEDS = [0.75, 1, 1.25, 1.5, 2];

// The card for a queue: one made for it before one for any queue.
const pickCard = (cards, queue) =>
  cards.find(c => c.queue === queue) || cards.find(c => !c.queue) || cards[0] || null;

export default {
  components: { AudioTimeline },
  props: { mode: { type: String, default: 'samples' } },
  emits: ['saved'],
  setup(props, { emit }) {
    const items = ref([]), loading = ref(false);
    const call = ref(null), cards = ref([]), cardId = ref('');
    const answers = ref({}), comments = ref({}), pins = ref([]);
    const pinText = ref(''), comment = ref(''), speed = ref(1);
    const refusal = ref(null), saving = ref(false);
    const audio = ref(null);
    // The list names the cards; the one chosen is read whole (its items).
    const card = ref(null);
    watch(cardId, async id => {
      card.value = null;
      answers.value = {}; comments.value = {};
      if (!id) return;
      try { card.value = await get(`/api/v1/qa/scorecards/${id}`); }
      catch (e) { ElMessage.error(e.message); }
    });

    const load = async () => {
      loading.value = true;
      try {
        items.value = props.mode === 'calibration'
          ? (await get('/api/v1/qa/calibrations?inspector=me&state=open')).items.filter(s => !s.mine.scored)
            .map(s => ({ call_id: s.call_id, agent: s.agent, queue: s.queue, drawn_at: s.created_at,
              scorecard_id: s.scorecard_id }))
          : (await get('/api/v1/qa/samples?inspector=me&state=pending')).items;
      }
      catch (e) { ElMessage.error(e.message); }
      finally { loading.value = false; }
    };
    const open = async s => {
      try {
        const [c, list] = await Promise.all([get(`/api/v1/calls/${s.call_id}`),
          get('/api/v1/qa/scorecards' + (s.scorecard_id ? '' : '?queue=' + encodeURIComponent(s.queue || '')))]);
        cards.value = list.items.filter(x => x.active !== false);
        const chosen = (s.scorecard_id && { id: s.scorecard_id }) || pickCard(cards.value, s.queue);
        cardId.value = chosen ? chosen.id : '';
        answers.value = {}; comments.value = {}; pins.value = [];
        pinText.value = ''; comment.value = ''; speed.value = 1; refusal.value = null;
        call.value = c;
      } catch (e) { ElMessage.error(e.message); }
    };
    const close = () => { call.value = null; load(); };
    const recUrl = c => withToken(`/api/v1/calls/${c.id}/recording`);
    const setSpeed = v => { speed.value = v; if (audio.value) audio.value.playbackRate = v; };
    const pin = () => {
      const text = pinText.value.trim();
      if (!text) { ElMessage.warning(t('qa.pinNeed')); return; }
      const at = Math.round((audio.value ? audio.value.currentTime : 0) * 1000);
      pins.value = pins.value.concat({ at_ms: at, text }).sort((a, b) => a.at_ms - b.at_ms);
      pinText.value = '';
    };
    const unpin = i => { pins.value = pins.value.filter((_, k) => k !== i); };
    const seek = ms => { if (audio.value) audio.value.currentTime = ms / 1000; };
    const save = async () => {
      const ans = {};
      for (const [id, a] of Object.entries(answers.value)) {
        const note = (comments.value[id] || '').trim();
        ans[id] = note ? { answer: a, comment: note } : a;
      }
      const body = { call_id: call.value.id, scorecard_id: cardId.value, answers: ans, pins: pins.value };
      if (comment.value.trim()) body.comment = comment.value.trim();
      saving.value = true;
      refusal.value = null;
      try {
        const e = await post('/api/v1/qa/evaluations', body);
        ElMessage.success(t('qa.saved', { score: e.score }));
        emit('saved', e);
        close();
      } catch (e) {
        refusal.value = { error: e.message, problems: ((e.body && e.body.problems) || []).filter(p => p !== e.message) };
      } finally { saving.value = false; }
    };
    onMounted(load);
    return { items, loading, call, cards, cardId, card, answers, comments, pins, pinText, comment,
      speed, refusal, saving, audio, open, close, recUrl, setSpeed, pin, unpin, seek, save, load,
      ANSWERS, SPEEDS, t, when, clock, atClock, audioParts };
  },
  template: `
  <div class="qa-score">
    <template v-if="!call">
      <div class="toolbar"><el-button @click="load">{{ t('qa.refresh') }}</el-button></div>
      <el-table :data="items" v-loading="loading" class="qa-samples" :empty-text="t('qa.noSamples')">
        <el-table-column prop="call_id" :label="t('qa.call')" min-width="120" />
        <el-table-column prop="agent" :label="t('qa.agent')" width="100" />
        <el-table-column prop="queue" :label="t('qa.queue')" width="110" />
        <el-table-column :label="t('qa.drawnAt')" width="170"><template #default="s">{{ when(s.row.drawn_at) }}</template></el-table-column>
        <el-table-column width="110"><template #default="s">
          <el-button size="small" type="primary" class="qa-open" @click="open(s.row)">{{ t('qa.inspect') }}</el-button>
        </template></el-table-column>
      </el-table>
    </template>
    <div v-else class="qa-form">
      <div class="toolbar">
        <el-button @click="close" class="qa-back">{{ t('qa.back') }}</el-button>
        <span class="qa-call-line">{{ call.from }} → {{ call.agent }} · {{ call.queue }} · {{ when(call.started_at) }} · {{ clock(call.talk_s) }}</span>
      </div>
      <el-card shadow="never" class="qa-player">
        <template v-if="call.recording">
          <audio ref="audio" :src="recUrl(call)" controls preload="metadata" class="audio qa-audio"></audio>
          <audio-timeline :call-id="call.id" :player="audio" />
          <div v-if="call.audio && call.audio.status === 'ok'" class="call-audio qa-audio-parts">
            <div class="audio-bar" :title="t('calls.audio.bar')">
              <span v-for="p in audioParts(call.audio)" :key="p.k" :class="'seg ' + p.k"
                :style="{ width: p.pct + '%' }">{{ p.pct >= 8 ? p.pct + '%' : '' }}</span>
            </div>
            <div class="audio-legend">
              <span v-for="p in audioParts(call.audio)" :key="p.k"><i :class="'seg ' + p.k"></i>{{ t('calls.audio.' + p.k) }}</span>
              <span>{{ t('calls.audio.longest_silence_s') }} {{ call.audio.longest_silence_s }}</span>
            </div>
          </div>
          <div class="row">
            <span>{{ t('qa.speed') }}</span>
            <el-select :model-value="speed" @change="setSpeed" size="small" class="qa-speed">
              <el-option v-for="v in SPEEDS" :key="v" :value="v" :label="v + '×'" />
            </el-select>
            <el-input v-model="pinText" size="small" class="qa-pin-text" :placeholder="t('qa.pinHint')" @keyup.enter="pin" />
            <el-button size="small" class="qa-pin" @click="pin">{{ t('qa.pin') }}</el-button>
          </div>
        </template>
        <el-alert v-else type="warning" :closable="false" :title="t('qa.noRecording')" />
        <ul class="qa-pins">
          <li v-for="(p, i) in pins" :key="i">
            <el-link type="primary" @click="seek(p.at_ms)">{{ atClock(p.at_ms) }}</el-link>
            <span class="pin-text">{{ p.text }}</span>
            <el-button size="small" link @click="unpin(i)">{{ t('qa.unpin') }}</el-button>
          </li>
        </ul>
      </el-card>
      <el-card shadow="never" class="qa-card">
        <div class="row">
          <span>{{ t('qa.scorecard') }}</span>
          <el-select v-model="cardId" class="qa-card-pick">
            <el-option v-for="c in cards" :key="c.id" :value="c.id" :label="c.name + ' v' + c.version" />
          </el-select>
        </div>
        <template v-if="card">
          <div v-for="sec in card.sections" :key="sec.title" class="qa-section">
            <h4>{{ sec.title }}</h4>
            <div v-for="it in sec.items" :key="it.id" class="qa-item" :data-item="it.id">
              <span class="qa-item-text">{{ it.text }}
                <el-tag v-if="it.critical" type="danger" size="small">{{ t('qa.critical') }}</el-tag>
                <span class="qa-weight">{{ card.mode === 'points' ? it.points : it.weight }}</span></span>
              <el-radio-group v-model="answers[it.id]" size="small">
                <el-radio-button v-for="a in ANSWERS" :key="a" :value="a" :disabled="a === 'partial' && it.critical">{{ t('qa.ans.' + a) }}</el-radio-button>
              </el-radio-group>
              <el-input v-model="comments[it.id]" size="small" class="qa-item-comment" :placeholder="t('qa.itemComment')" />
            </div>
          </div>
        </template>
        <el-input v-model="comment" type="textarea" :rows="2" class="qa-comment" :placeholder="t('qa.comment')" />
        <el-alert v-if="refusal" type="error" :closable="false" class="qa-refusal" :title="refusal.error">
          <div v-for="p in refusal.problems" :key="p">{{ p }}</div>
        </el-alert>
        <div class="qa-actions"><el-button type="primary" class="qa-save" :loading="saving" @click="save">{{ t('qa.save') }}</el-button></div>
      </el-card>
    </div>
  </div>`,
};
