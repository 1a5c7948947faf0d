// reports_fmt: what the report pages (控制图, 直方图, 日报, 归属地分布)
// share — KPI names, units and targets, numbers formatted by unit, file
// downloads that carry the bearer token, and the control chart drawn the
// way the training deck draws it: the centre line, the limits at ±3σ, the
// zones at ±1σ and ±2σ shaded, the points of each signal in red with
// their rules named, the moving-range chart under an XmR.
import { t, lang, has } from './i18n.js';
import { nextTick } from 'vue';
import { get, session, ApiError } from './api.js';

// A rule's words in the console's language: the deck's rules come as
// "中文 (English)", the other rule sets in English alone.
export function signalText(text) {
  const m = /^(.*[\u4e00-\u9fff].*?)\s*\(([^()]*[A-Za-z][^()]*)\)$/.exec(text || '');
  if (!m) return text;
  return lang.value === 'en' ? m[2] : m[1];
}

const defs = new Map();
// Every KPI with its names, unit, the target in force for queue ('' the
// center's: the center's own over the reference's) and its 监控措施
// (GET /api/v1/reports/kpi-targets), fetched once per queue until the
// targets are edited (forgetKpiDefs).
export async function kpiDefs(queue = '') {
  if (!defs.has(queue))
    defs.set(queue, (await get('/api/v1/reports/kpi-targets' +
      (queue ? '?queue=' + encodeURIComponent(queue) : ''))).items);
  return defs.get(queue);
}
export function forgetKpiDefs() { defs.clear(); }

export function kpiName(d) {
  return d ? (lang.value === 'en' ? d.name_en : d.name_zh) : '';
}

// A KPI's value for people: ratios as percentages, times in seconds.
export function fmtKpi(v, unit) {
  if (v == null || isNaN(v)) return t('common.none');
  if (unit === 'ratio') return (v * 100).toFixed(1) + '%';
  if (unit === 's') return v.toFixed(1) + ' s';
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

// Whether v misses the KPI's target range (null: no target to miss). For
// a ceiling_only KPI (fewer abandons, shorter holds… are better) only the
// top of the range can be missed, as the server's spc_target_missed says.
export function missed(d, v) {
  if (!d || v == null || isNaN(v) || d.target_hi == null && (d.target_lo == null || d.ceiling_only)) return null;
  if (d.target_hi != null && v > d.target_hi) return true;
  if (d.target_lo != null && v < d.target_lo && !d.ceiling_only) return true;
  return false;
}

// A server's refusal in the console's language: refusals with a stable
// code (docs/api.md's table: too_few_points, bad_param, scope_agent…) are
// put in words here (err.<code>; a bad parameter's err.bad_param.<param>
// first), filled with the fields the answer carries; others, and codes
// the catalogue has no words for, are shown as the server words them.
export function reason(e) {
  const b = e && e.body, code = b && b.code;
  if (!code) return e.message;
  const keys = code === 'bad_param' && b.param ? ['err.bad_param.' + b.param, 'err.bad_param'] : ['err.' + code];
  const key = keys.find(has);
  if (!key) return e.message;
  return t(key, { points: '—', baseline: '—', ...b });
}

// A chart page's load: fetch() resolves to the answer, which goes into
// state.chart, and draw() runs once the page shows it; a refusal leaves
// no chart, its reason (in the console's language) in state.why, and the
// drawing cleared (clear: the chart instance's, when there is one).
// state.loading is true meanwhile.
export async function loadChart(state, fetch, draw, clear) {
  state.loading.value = true;
  state.why.value = '';
  try {
    state.chart.value = await fetch();
    await nextTick();
    draw();
  } catch (e) {
    state.chart.value = null;
    state.why.value = reason(e);
    clear();
  } finally { state.loading.value = false; }
}

// The reference's words for a KPI's target in the console's language (the
// server gives them in English; en.js and zh-CN.js hold them by KPI id).
export function targetWords(d) {
  if (!d || !d.target) return '';
  const key = 'kpi.target.' + d.id;
  return has(key) ? t(key) : d.target;
}

// The target as the tile measures it: "≥ 80.0%", "≤ 20.0 s", "30.0%–90.0%"
// (a ceiling-only KPI shows its ceiling); the reference's own words are
// the tile's title, and its text where it gives no range to measure.
export function targetText(d) {
  if (!d) return '';
  const lo = d.ceiling_only ? null : d.target_lo, hi = d.target_hi;
  if (lo != null && hi != null) return `${fmtKpi(lo, d.unit)} – ${fmtKpi(hi, d.unit)}`;
  if (lo != null) return '≥ ' + fmtKpi(lo, d.unit);
  if (hi != null) return '≤ ' + fmtKpi(hi, d.unit);
  // A center that set no target here has none, whatever the reference says.
  return (d.source === 'default' && targetWords(d)) || t('daily.noTarget');
}

// Fetches path with the token (a link cannot send the header) and hands
// the browser the file; a refusal is an ApiError, as api.js's, so
// reason() can word it.
export async function download(path, name) {
  const res = await fetch(path, { headers: { Authorization: 'Bearer ' + session.token } });
  if (!res.ok) {
    const j = await res.json().catch(() => null);
    throw new ApiError(res.status, (j && j.error) || res.statusText, j);
  }
  saveUrl(URL.createObjectURL(await res.blob()), name, true);
}

export function saveUrl(url, name, revoke) {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  if (revoke) setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Where the browser tests (and whoever debugs a chart) find each chart.
export function expose(name, chart) {
  (window.echartsInstances = window.echartsInstances || {})[name] = chart;
}

const p2 = n => String(n).padStart(2, '0');
// An interval's start as its label: a day's date, an hour's time.
// Days and weeks are the report's UTC days, so their dates are UTC's.
export function intervalLabel(ms, intervalMs) {
  const d = new Date(ms);
  if (intervalMs >= 86400000) return `${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
  return `${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}`;
}

export function isoDay(d) {
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;
}

const RED = '#f56c6c', BLUE = '#409eff';
// The zones, as the deck colours them on its slides: calm near the
// centre, warmer towards the limits.
const ZONES = [
  { from: 2, to: 3, color: 'rgba(245,108,108,0.13)' },
  { from: 1, to: 2, color: 'rgba(230,162,60,0.12)' },
  { from: 0, to: 1, color: 'rgba(103,194,58,0.10)' },
];

// The rules each point belongs to, from the answer's signals; with
// last, only the signals that end at the point (one label per signal).
export function rulesByPoint(c, last) {
  const by = {};
  for (const s of c.signals || [])
    for (const i of last ? s.points.slice(-1) : s.points)
      (by[i] = by[i] || []).includes(s.rule) || by[i].push(s.rule);
  return by;
}

// The ECharts option of a control chart answer c (GET or POST
// /api/v1/reports/spc) whose points are labelled by labels; unit formats
// the numbers; baseline is [first, last] point index of the limits'
// period or null; compact leaves out the moving range and the legend (the
// daily summary's small charts); target is the KPI's definition, whose
// target range is drawn where it falls within the chart (a target is what
// management asks for, the limits what the process does: both matter).
export function spcOption(c, labels, unit, { baseline = null, compact = false, target = null } = {}) {
  const f = v => fmtKpi(v, unit);
  const by = rulesByPoint(c), ends = rulesByPoint(c, true);
  const sigma = c.chart === 'p' ? (c.ucl - c.center) / 3 : c.sigma;
  // The second chart: moving ranges (XmR), ranges (X̄-R) or standard
  // deviations (X̄-S); an XmR's first point has no moving range.
  const sub = compact ? null : c.mr ? ['mr', 'MR̄'] : c.r ? ['r', 'R̄'] : c.s ? ['s', 's̄'] : null;
  const hasMr = !!sub, second = sub && c[sub[0]];
  const lo = Math.min(...c.points, c.lcl, ...(c.limits ? c.limits.lcl : []));
  const hi = Math.max(...c.points, c.ucl, ...(c.limits ? c.limits.ucl : []));
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.05 || 1;
  const zoneAreas = [];
  for (const z of ZONES)
    for (const side of [1, -1]) {
      const a = c.center + side * z.from * sigma, b = c.center + side * z.to * sigma;
      zoneAreas.push([{ yAxis: Math.min(a, b), itemStyle: { color: z.color } }, { yAxis: Math.max(a, b) }]);
    }
  const areas = [...zoneAreas];
  if (baseline)
    areas.push([{ xAxis: labels[baseline[0]], yAxis: 'min', itemStyle: { color: 'rgba(144,147,153,0.07)' },
      label: { show: true, position: 'insideTop', color: '#909399', formatter: t('spc.baseline') } },
    { xAxis: labels[baseline[1]], yAxis: 'max' }]);
  // CL, UCL and LCL are named right of the plot, where no point is: inside
  // it, at the line's end, a rule named over a late point near the line
  // covered the name (the QA chart's "8" over "CL"). The small charts have
  // no room beside them and keep the names inside.
  const lineLabel = name => ({ formatter: p => `${name} ${f(p.value)}`, fontSize: 11,
    ...(compact ? { position: 'insideEndTop' } : { position: 'end', distance: 10 }) });
  const limitLines = [
    { yAxis: c.center, lineStyle: { color: '#303133', type: 'solid', width: 1.5 }, label: lineLabel('CL') },
  ];
  for (const v of target ? [target.target_lo, target.target_hi] : [])
    if (v != null && v >= lo - pad && v <= hi + pad)
      limitLines.push({ yAxis: v, lineStyle: { color: '#67c23a', type: 'dotted', width: 2 },
        label: { formatter: p => `${t('daily.target')} ${f(p.value)}`, position: 'insideStartTop', fontSize: 11,
          color: '#529b2e' } });
  if (!c.limits) {
    limitLines.push({ yAxis: c.ucl, lineStyle: { color: RED, type: 'dashed', width: 1.5 }, label: lineLabel('UCL') });
    limitLines.push({ yAxis: c.lcl, lineStyle: { color: RED, type: 'dashed', width: 1.5 }, label: lineLabel('LCL') });
  }
  const series = [{
    name: t('spc.value'), type: 'line', data: c.points.map((v, i) => ({
      value: v,
      symbolSize: by[i] ? 11 : 6,
      itemStyle: { color: by[i] ? RED : BLUE, borderColor: '#fff', borderWidth: by[i] ? 2 : 1 },
    })),
    lineStyle: { color: BLUE, width: 2 }, symbol: 'circle', showAllSymbol: true, z: 5,
    markArea: { silent: true, data: areas },
    markLine: { silent: true, symbol: 'none', data: limitLines },
  }, {
    // Each signal's rule named over its last point.
    name: t('spc.signals'), type: 'scatter', z: 6, symbolSize: 1,
    data: c.points.map((v, i) => (ends[i] ? { value: [labels[i], v], rules: ends[i] } : null)).filter(Boolean),
    label: { show: true, position: 'top', color: RED, fontWeight: 600, fontSize: 11,
      formatter: p => p.data.rules.join('·') },
    tooltip: { show: false },
  }];
  if (c.limits) {  // p: the limits follow each interval's calls
    for (const [k, name] of [['ucl', 'UCL'], ['lcl', 'LCL']])
      series.push({ name, type: 'line', step: 'middle', data: c.limits[k], symbol: 'none',
        lineStyle: { color: RED, type: 'dashed', width: 1.5 }, z: 4,
        endLabel: { show: !compact, formatter: name, color: RED, fontSize: 11 } });
  }
  // The right margin holds the limits' names ("UCL 100.00") beside the plot.
  const grids = hasMr
    ? [{ left: 64, right: 96, top: 36, height: '56%' }, { left: 64, right: 96, top: '73%', bottom: 28 }]
    : [{ left: 56, right: compact ? 44 : 96, top: compact ? 22 : 36, bottom: compact ? 22 : 40 }];
  const xAxis = [{ type: 'category', data: labels, gridIndex: 0, boundaryGap: false,
    axisLabel: { hideOverlap: true, fontSize: compact ? 10 : 12 } }];
  const yAxis = [{ type: 'value', gridIndex: 0, min: lo - pad, max: hi + pad, scale: true,
    axisLabel: { formatter: v => f(v), fontSize: compact ? 10 : 12 }, splitLine: { show: false } }];
  if (hasMr) {
    xAxis.push({ type: 'category', data: labels, gridIndex: 1, boundaryGap: false, axisLabel: { show: false } });
    yAxis.push({ type: 'value', gridIndex: 1, name: t('spc.' + sub[0]), nameTextStyle: { fontSize: 11 },
      min: 0, max: v => Math.max(v.max, second.ucl) * 1.1, splitLine: { show: false },
      axisLabel: { formatter: v => (unit === 'ratio' ? (v * 100).toFixed(1) : v.toFixed(0)), fontSize: 11 } });
    const lines = [
      { yAxis: second.center, lineStyle: { color: '#303133', width: 1 }, label: { formatter: sub[1], fontSize: 11 } },
      { yAxis: second.ucl, lineStyle: { color: RED, type: 'dashed' }, label: { formatter: 'UCL', fontSize: 11 } },
    ];
    if (second.lcl > 0)
      lines.push({ yAxis: second.lcl, lineStyle: { color: RED, type: 'dashed' }, label: { formatter: 'LCL', fontSize: 11 } });
    series.push({
      name: t('spc.' + sub[0]), type: 'line', xAxisIndex: 1, yAxisIndex: 1, symbol: 'circle', symbolSize: 4,
      data: second.points.map((v, i) => (i === 0 && sub[0] === 'mr' ? null : v)), lineStyle: { color: '#909399', width: 1.5 },
      itemStyle: { color: '#909399' },
      markLine: { silent: true, symbol: 'none', data: lines },
    });
  }
  return {
    animation: false,
    grid: grids, xAxis, yAxis, series,
    tooltip: { trigger: 'axis', formatter: ps => {
      const p = ps.find(x => x.seriesIndex === 0) || ps[0];
      const i = p.dataIndex, rules = by[i];
      const z = c.chart === 'p' ? null : (c.points[i] - c.center) / c.sigma;
      return `${labels[i]}<br>${f(c.points[i])}` + (z == null ? '' : ` (${z >= 0 ? '+' : ''}${z.toFixed(1)}σ)`) +
        (rules ? `<br><b style="color:${RED}">${t('spc.rules')}: ${rules.join(', ')}</b>` : '');
    } },
  };
}
