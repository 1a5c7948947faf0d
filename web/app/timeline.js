// timeline: the recording player's two lanes, 客户 (the customer, the
// recording's left channel) and 坐席 (the agent, the right), from GET
// /api/v1/calls/{id}/audio-timeline: each side's talk spans, overtalk
// highlighted on both lanes, long silences and hold marked across them, a
// playhead that follows the <audio> element, and a click anywhere on the
// lanes seeks it there. A call measured before the server kept timelines
// (or not measured yet) shows nothing: the player works without lanes.
//
// Positions are shares of the timeline's duration_ms (the measured
// recording), so the lanes are drawn before the audio's metadata loads;
// each span carries data-from/data-to (ms) for tests.
import { ref, watch, onBeforeUnmount } from 'vue';
import { t } from './i18n.js';
import { get } from './api.js';
import { atClock } from './util.js';

const LANES = ['customer', 'agent'];
// Marks that cross both lanes.
const MARKS = ['silence', 'hold'];

export default {
  props: {
    callId: { type: String, required: true },
    // the <audio> element it follows and seeks; null until it is mounted
    player: { type: Object, default: null },
  },
  setup(props) {
    const tl = ref(null);
    const pos = ref(0);   // the playhead, ms

    const load = async id => {
      tl.value = null;
      pos.value = 0;
      try { tl.value = (await get(`/api/v1/calls/${id}/audio-timeline`)).timeline; }
      catch (e) { tl.value = null; }   // no lanes: the player still plays
    };
    watch(() => props.callId, load, { immediate: true });

    const follow = () => { if (props.player) pos.value = props.player.currentTime * 1000; };
    const EVENTS = ['timeupdate', 'seeked', 'loadedmetadata'];
    watch(() => props.player, (el, old) => {
      for (const e of EVENTS) {
        if (old) old.removeEventListener(e, follow);
        if (el) el.addEventListener(e, follow);
      }
      follow();
    }, { immediate: true });
    onBeforeUnmount(() => {
      if (props.player) for (const e of EVENTS) props.player.removeEventListener(e, follow);
    });

    const pct = ms => (tl.value && tl.value.duration_ms ? (100 * ms) / tl.value.duration_ms : 0);
    const box = ([a, b]) => ({ left: pct(a) + '%', width: Math.max(pct(b - a), 0.2) + '%' });
    const seek = ev => {
      const r = ev.currentTarget.getBoundingClientRect();
      const ms = Math.max(0, Math.min(1, (ev.clientX - r.left) / r.width)) * tl.value.duration_ms;
      pos.value = ms;
      if (props.player) props.player.currentTime = ms / 1000;
    };
    const tip = (k, [a, b]) => `${t('calls.tl.' + k)} ${atClock(a)}–${atClock(b)}`;
    return { tl, pos, pct, box, seek, tip, LANES, MARKS, t, atClock };
  },
  template: `
  <div v-if="tl" class="audio-timeline">
    <div class="tl-names">
      <div v-for="l in LANES" :key="l" class="tl-name">{{ t('calls.tl.' + l) }}</div>
    </div>
    <div class="tl-lanes" @click="seek">
      <div v-for="m in MARKS" :key="m">
        <span v-for="(s, i) in tl[m]" :key="i" :class="'tl-mark tl-' + m" :style="box(s)"
          :data-from="s[0]" :data-to="s[1]" :title="tip(m, s)"></span>
      </div>
      <div v-for="l in LANES" :key="l" :class="'tl-lane tl-lane-' + l" :data-lane="l">
        <span v-for="(s, i) in tl[l]" :key="i" :class="'tl-span tl-' + l" :style="box(s)"
          :data-from="s[0]" :data-to="s[1]" :title="tip(l, s)"></span>
        <span v-for="(s, i) in tl.overtalk" :key="'o' + i" class="tl-over" :style="box(s)"
          :data-from="s[0]" :data-to="s[1]" :title="tip('overtalk', s)"></span>
      </div>
      <div class="tl-head" :style="{ left: pct(pos) + '%' }" :data-ms="Math.round(pos)"></div>
    </div>
    <div class="tl-legend">
      <span v-for="k in ['customer', 'agent', 'overtalk', 'silence', 'hold']" :key="k"><i :class="'tl-' + k"></i>{{ t('calls.tl.' + k) }}</span>
      <span class="tl-clock">{{ atClock(pos) }} / {{ atClock(tl.duration_ms) }}</span>
    </div>
  </div>`,
};
