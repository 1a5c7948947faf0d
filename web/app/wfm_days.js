// wfm_days: the planner's days are local (00:00 in Beijing is 16:00 UTC);
// the server takes any quarter hour as the start of a day, so every
// period the console asks for starts at a local midnight.
import { t } from './i18n.js';

export const DAY_MS = 86400000;

// Local midnight of the day holding d (a Date or ms).
export function dayStart(d) {
  const x = new Date(d);
  x.setHours(0, 0, 0, 0);
  return x.getTime();
}

// The local midnight n days after that of ms (calendar days, not 24 h).
export function addDays(ms, n) {
  const x = new Date(dayStart(ms));
  x.setDate(x.getDate() + n);
  return x.getTime();
}

// The latest local midnight the forecast may start at: its history is the
// stored days, which end at 00:00 UTC today.
export function forecastFrom() {
  const utc = Date.now() - (Date.now() % DAY_MS);
  let d = dayStart(Date.now());
  while (d > utc) d = dayStart(d - 1);
  return d;
}

// Monday 00:00 of the week holding d.
export function weekStart(d) {
  const x = new Date(dayStart(d));
  return addDays(x.getTime(), -((x.getDay() + 6) % 7));
}

const p2 = n => String(n).padStart(2, '0');
export const iso = ms => new Date(ms).toISOString();
export const hm = ms => { const d = new Date(ms); return `${p2(d.getHours())}:${p2(d.getMinutes())}`; };
export const ymd = ms => { const d = new Date(ms); return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`; };
export const weekday = ms => t('wfm.wd.' + new Date(ms).getDay());
export const dayLabel = ms => { const d = new Date(ms); return `${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${weekday(ms)}`; };
// "09:30" on the day of dayMs, as ms.
export function at(dayMs, hhmm) {
  const [h, m] = hhmm.split(':').map(Number);
  const x = new Date(dayStart(dayMs));
  x.setHours(h, m, 0, 0);
  return x.getTime();
}
export const hours = ms => (ms == null ? t('common.none') : (ms / 3600000).toFixed(1));
