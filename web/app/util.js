// util: formatting shared by the pages.
import { t } from './i18n.js';

// 75 → "1:15", 3725 → "1:02:05".
export function clock(seconds) {
  if (seconds == null || isNaN(seconds)) return t('common.none');
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return (h ? h + ':' : '') + mm + ':' + String(r).padStart(2, '0');
}

// An RFC 3339 time as the local date and time, to the second.
export function when(iso) {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  const p = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function pct(x) {
  return x == null ? t('common.none') : (x * 100).toFixed(1) + '%';
}

// Element Plus tag types by agent or call state: the colours a wallboard
// reader knows at a glance (green free, orange ringing, red busy).
const tagType = {
  ready: 'success', ringing: 'warning', talking: 'danger', held: 'danger',
  wrap_up: 'primary', not_ready: 'info', logged_out: 'info',
  queued: 'warning', new: 'info',
};
export function stateTag(state) {
  return tagType[state] || 'info';
}

export function region(c) {
  if (!c || !c.province) return t('common.none');
  return c.city && c.city !== c.province ? `${c.province} ${c.city}` : c.province;
}

// A moment of a recording, milliseconds from its start: 65200 → "1:05.2".
export function atClock(ms) {
  if (ms == null || isNaN(ms)) return t('common.none');
  const tenths = Math.floor(ms / 100);
  return clock(Math.floor(tenths / 10)) + '.' + (tenths % 10);
}

// A recording's time split four ways for the bar of its audio measures:
// each side alone, both at once (抢话), neither (silence and hold), each a
// whole percentage of the recording.
export function audioParts(a) {
  const d = a.duration_s || 0;
  if (!d) return [];
  const both = a.overtalk_s || 0;
  const parts = [['customer', (a.customer_talk_s || 0) - both], ['agent', (a.agent_talk_s || 0) - both],
    ['overtalk', both]];
  parts.push(['quiet', Math.max(0, d - parts.reduce((n, p) => n + p[1], 0))]);
  return parts.map(([k, s]) => ({ k, pct: Math.round((100 * s) / d) }));
}
