// calls: call records and recordings (通话记录 / 录音查询回放) — search by
// time range, play in the browser with seeking (the server answers Range
// requests), download one or a selection as one ZIP (批量下载), filter by
// number, agent, queue, direction, talk seconds, region and wrap-up code
// (小结). What a person sees is what the server's scope gives them: an
// agent gets only their own calls. The player, above the list and in a
// call's details, draws the recording's two lanes (timeline.js): who spoke
// when, overtalk, long silences and hold; a click on them seeks.
import { ref, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { t, lang } from './i18n.js';
import { get, post, withToken } from './api.js';
import { clock, when, region, audioParts } from './util.js';
import AudioTimeline from './timeline.js';

export default {
  components: { AudioTimeline },
  setup() {
    const range = ref(null);
    const items = ref([]);
    const next = ref(null);
    const loading = ref(false);
    const playing = ref(null);
    const detail = ref(null);
    // the <audio> elements the timelines follow: the list's, the details'
    const player = ref(null), detailPlayer = ref(null);
    const blank = () => ({ number: '', agent: '', queue: '', direction: '',
      min_duration: null, max_duration: null, province: '', wrapup: '' });
    const f = ref(blank());
    const selected = ref([]);
    const zipping = ref(false);
    const codes = ref([]);
    const label = r => (lang.value === 'en' ? r.label_en : r.label_zh);
    // A record's wrap-up code in words, the code itself when it is gone.
    const wrapLabel = code => {
      if (!code) return '';
      const r = codes.value.find(c => c.code === code);
      return r ? label(r) : code;
    };

    const query = cursor => {
      const q = new URLSearchParams({ limit: '50' });
      if (range.value && range.value[0]) {
        q.set('from', range.value[0].toISOString());
        q.set('to', range.value[1].toISOString());
      }
      for (const [k, v] of Object.entries(f.value))
        if (v !== '' && v !== null && v !== undefined) q.set(k, String(v).trim());
      if (cursor) q.set('cursor', cursor);
      return '/api/v1/calls?' + q;
    };
    const search = async (more) => {
      loading.value = true;
      try {
        const r = await get(query(more ? next.value : null));
        items.value = more ? items.value.concat(r.items) : r.items;
        next.value = r.next_cursor;
      } catch (e) { ElMessage.error(e.message); }
      finally { loading.value = false; }
    };
    const reset = () => { range.value = null; f.value = blank(); search(false); };
    const onSelect = rows => { selected.value = rows; };
    // The server builds the ZIP; the browser saves it through a link, so
    // the download is the browser's own (progress, where to save).
    const archive = async () => {
      zipping.value = true;
      try {
        const r = await post('/api/v1/recordings/archive',
          { ids: selected.value.map(c => c.id) });
        if (!r.count) ElMessage.warning(t('calls.noRecordings'));
        const a = document.createElement('a');
        a.href = withToken(r.url);
        a.download = r.name;
        document.body.appendChild(a);
        a.click();
        a.remove();
      } catch (e) { ElMessage.error(e.message); }
      finally { zipping.value = false; }
    };
    const recUrl = c => withToken(`/api/v1/calls/${c.id}/recording`);
    const play = c => { playing.value = c; };
    const open = async c => {
      try { detail.value = await get(`/api/v1/calls/${c.id}`); }
      catch (e) { ElMessage.error(e.message); }
    };
    onMounted(async () => {
      search(false);
      try { codes.value = (await get('/api/v1/wrapup-codes')).items || []; }
      catch (e) { ElMessage.error(e.message); }
    });
    const audioKeys = ['customer_talk_s', 'agent_talk_s', 'overtalk_s', 'longest_silence_s',
      'silences_over_10s', 'hold_s', 'agent_words_per_min', 'duration_s'];
    return { player, detailPlayer, audioKeys, audioParts, range, f, selected, zipping, onSelect, archive, items, next, loading, playing, detail, search, reset, recUrl,
      play, open, t, clock, when, region, codes, label, wrapLabel };
  },
  template: `
  <div class="calls">
    <el-card shadow="never">
      <el-form inline @submit.prevent="search(false)">
        <el-form-item :label="t('calls.range')">
          <el-date-picker v-model="range" type="datetimerange" unlink-panels />
        </el-form-item>
        <el-form-item :label="t('calls.number')">
          <el-input v-model="f.number" clearable class="f-number" name="number" />
        </el-form-item>
        <el-form-item :label="t('calls.agent')">
          <el-input v-model="f.agent" clearable class="f-short" />
        </el-form-item>
        <el-form-item :label="t('calls.queue')">
          <el-input v-model="f.queue" clearable class="f-short" />
        </el-form-item>
        <el-form-item :label="t('calls.direction')">
          <el-select v-model="f.direction" clearable class="f-short" :placeholder="t('calls.any')">
            <el-option v-for="d in ['inbound','outbound','internal']" :key="d" :value="d" :label="t('calls.dir.' + d)" />
          </el-select>
        </el-form-item>
        <el-form-item :label="t('calls.talkRange')">
          <el-input-number v-model="f.min_duration" :min="0" :controls="false" class="f-num" />
          <span class="dash">–</span>
          <el-input-number v-model="f.max_duration" :min="0" :controls="false" class="f-num" />
        </el-form-item>
        <el-form-item :label="t('calls.province')">
          <el-input v-model="f.province" clearable class="f-short" />
        </el-form-item>
        <el-form-item :label="t('calls.wrapup')">
          <el-select v-model="f.wrapup" clearable class="f-short f-wrapup" :placeholder="t('calls.any')">
            <el-option v-for="c in codes" :key="c.code" :label="label(c)" :value="c.code" />
          </el-select>
        </el-form-item>
        <el-form-item>
          <el-button type="primary" @click="search(false)">{{ t('calls.search') }}</el-button>
          <el-button @click="reset">{{ t('calls.reset') }}</el-button>
          <el-button class="zip" :disabled="!selected.length" :loading="zipping" @click="archive">
            {{ t('calls.archive') }} ({{ selected.length }})</el-button>
        </el-form-item>
      </el-form>
      <div v-if="playing" class="player">
        <span>{{ playing.from }} → {{ playing.agent || playing.to }} · {{ when(playing.started_at) }}</span>
        <audio ref="player" :src="recUrl(playing)" controls autoplay preload="metadata" class="audio"></audio>
        <audio-timeline :call-id="playing.id" :player="player" />
      </div>
      <el-table :data="items" v-loading="loading" size="default" :empty-text="t('calls.none')"
                class="call-table" @row-dblclick="open" @selection-change="onSelect" row-key="id">
        <el-table-column type="selection" width="40" />
        <el-table-column :label="t('calls.start')" width="108"><template #default="s"><el-link class="open-call" :title="t('calls.details')" @click="open(s.row)">{{ when(s.row.started_at) }}</el-link></template></el-table-column>
        <el-table-column prop="from" :label="t('calls.from')" width="128" />
        <el-table-column prop="to" :label="t('calls.to')" width="122" />
        <el-table-column :label="t('calls.region')" min-width="80"><template #default="s">{{ region(s.row) }}</template></el-table-column>
        <el-table-column prop="queue" :label="t('calls.queue')" width="78" />
        <el-table-column prop="agent" :label="t('calls.agent')" width="74" />
        <el-table-column :label="t('calls.talk')" width="84"><template #default="s">{{ clock(s.row.talk_s) }}</template></el-table-column>
        <el-table-column prop="hangup_by" :label="t('calls.hangup')" width="96" />
        <el-table-column :label="t('calls.wrapup')" min-width="88"><template #default="s">{{ wrapLabel(s.row.wrapup_code) }}</template></el-table-column>
        <el-table-column :label="t('calls.recording')" width="120">
          <template #default="s">
            <template v-if="s.row.recording">
              <el-button size="small" link type="primary" @click="play(s.row)">{{ t('calls.play') }}</el-button>
              <el-link :href="recUrl(s.row)" :download="s.row.id + '.wav'" type="primary" :underline="false" class="rec-dl">{{ t('calls.download') }}</el-link>
            </template>
          </template>
        </el-table-column>
      </el-table>
      <div class="more" v-if="next"><el-button @click="search(true)">{{ t('calls.more') }}</el-button></div>
    </el-card>
    <el-drawer :model-value="!!detail" @close="detail = null" :title="t('calls.detail')" size="40%">
      <template v-if="detail">
        <template v-if="detail.audio">
          <h4>{{ t('calls.audio') }}</h4>
          <el-alert v-if="detail.audio.status !== 'ok'" class="call-audio" type="warning" :closable="false"
            :title="t('calls.audio.' + detail.audio.status)" :description="detail.audio.error" />
          <div v-else class="call-audio">
            <template v-if="detail.recording">
              <audio ref="detailPlayer" :src="recUrl(detail)" controls preload="metadata" class="audio detail-audio"></audio>
              <audio-timeline :call-id="detail.id" :player="detailPlayer" />
            </template>
            <div class="audio-bar" :title="t('calls.audio.bar')">
              <span v-for="p in audioParts(detail.audio)" :key="p.k" :class="'seg ' + p.k"
                :style="{ width: p.pct + '%' }">{{ p.pct >= 8 ? p.pct + '%' : '' }}</span>
            </div>
            <div class="audio-legend">
              <span v-for="p in audioParts(detail.audio)" :key="p.k"><i :class="'seg ' + p.k"></i>{{ t('calls.audio.' + p.k) }}</span>
            </div>
            <el-descriptions :column="2" border size="small">
              <el-descriptions-item v-for="k in audioKeys" :key="k" :label="t('calls.audio.' + k)">{{ detail.audio[k] ?? '—' }}</el-descriptions-item>
            </el-descriptions>
          </div>
        </template>
        <el-descriptions :column="1" border size="small">
          <el-descriptions-item v-for="k in ['id','direction','from','to','queue','agent','started_at','answered_at','ended_at','duration_s','talk_s','hold_s','hangup_by','transfer_to','trunk','wrapup_code','wrapup_notes','wrapup_by']" :key="k" :label="k">{{ detail[k] ?? '—' }}</el-descriptions-item>
        </el-descriptions>
        <h4>{{ t('calls.events') }}</h4>
        <el-timeline>
          <el-timeline-item v-for="(e, i) in detail.events" :key="i" :timestamp="when(e.ts)">{{ e.type }}</el-timeline-item>
        </el-timeline>
      </template>
    </el-drawer>
  </div>`,
};
