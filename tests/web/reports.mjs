// The report pages in the browser (reports.sh seeds the data): the daily
// summary of yesterday with its missed targets in red and the charts that
// signal; the handle time's control chart with its zones, limits and the
// rules named, the limits unchanged under another rule set, and its CSV;
// the calls by province on the map of China; the talk times' histogram,
// bimodal, split by queue. What is drawn is read from the ECharts
// instances the pages expose, and from the DOM.
import { readFileSync } from 'fs';
import { browser, page, signIn, shot, until, ok, assert, noErrors } from './common.mjs';

const yday = process.argv[2];
const b = await browser();

// The page's top in view, for a screenshot.
const top = p => p.evaluate(() => { document.querySelector('.main').scrollTop = 0; });

// Goes to a page by its hash (the pages read their state from it).
async function go(p, hash) {
  await p.evaluate(h => { location.hash = h; }, hash);
}

// The option an exposed chart holds now.
const option = (p, name) => p.evaluate(n => {
  const c = window.echartsInstances && window.echartsInstances[n];
  return c ? JSON.parse(JSON.stringify(c.getOption())) : null;
}, name);

async function chartOf(p, name, pred, what) {
  for (let i = 0; i < 100; i++) {
    const o = await option(p, name);
    if (o && pred(o)) return o;
    await p.waitForTimeout(200);
  }
  const o = await option(p, name);
  throw new Error(`${what}: ${JSON.stringify(o && o.series).slice(0, 800)}`);
}

// The server's own answer, asked with the page's token.
const api = (p, path) => p.evaluate(async u => {
  const tok = JSON.parse(sessionStorage.getItem('hotline.session')).token;
  return (await fetch(u, { headers: { Authorization: 'Bearer ' + tok } })).json();
}, path);

try {
  const p = await page(b);
  await signIn(p, 'sup', 'sup123');

  // --- 日报: yesterday, the center as a whole
  await go(p, `#/daily?day=${yday}`);
  await until(p, '.kpi-tile[data-kpi=service_level]', t => t.includes('60.0%'), "yesterday's service level");
  assert(await p.$eval('.kpi-tile[data-kpi=service_level]', e => e.dataset.missed) === 'true',
    'a service level of 60 % misses the 80 % target');
  assert(await p.$eval('.kpi-tile[data-kpi=asa]', e => e.dataset.missed) === 'false', 'an ASA of 15 s meets 20 s');
  assert(await p.$eval('.kpi-tile[data-kpi=avg_queue_time]', e => e.dataset.missed) === 'false',
    'a queue time of 16 s, under the range of 30 s to 90 s, is no miss');
  await until(p, '.daily-missed', t => /\d+ 项未达标/.test(t), 'the count of missed targets');
  await until(p, '.daily-card[data-kpi=avg_handle_time]', t => t.includes('8') && t.includes('1'),
    "the handle time's chart among those that signal, rules 8 and 1");
  const daily = await chartOf(p, 'daily-avg_handle_time', o => o.series[0].data.length === 30,
    "the daily summary's handle time chart: 30 days");
  assert(daily.series[0].data[29].itemStyle.color === '#f56c6c', 'yesterday drawn red');
  const sl = await p.$('.daily-card[data-kpi=service_level]');
  assert(sl, "the service level's chart signals too (yesterday beyond its limit)");
  await shot(p, 'reports-daily');
  ok('the daily summary: missed targets in red, the charts that signal yesterday with their rules');

  // --- 控制图: the same KPI over six weeks
  await p.click('.daily-card[data-kpi=avg_handle_time] .daily-open');
  await until(p, '.spc-signals', t => t.includes('8个连续的点'), "the chart's signals listed");
  const from = new Date(Date.parse(yday + 'T00:00:00Z') - 41 * 86400000);
  const range = await p.$$('.spc-page .el-date-editor--daterange input');
  assert(range.length >= 1, 'the period picker');
  const want = await api(p, `/api/v1/reports/spc?kpi=avg_handle_time&interval=1d&from=${from.toISOString()}` +
    `&to=${new Date(Date.parse(yday + 'T00:00:00Z') + 86400000).toISOString()}`);
  const o = await chartOf(p, 'spc', o => o.series[0].data.length >= 30, 'the control chart drawn');
  const lines = o.series[0].markLine.data.map(l => l.yAxis);
  const points = o.series[0].data;
  const last = points.length - 1;
  assert(points[last].itemStyle.color === '#f56c6c' && points[last - 8].itemStyle.color !== '#f56c6c',
    'the last eight points red, the one before blue');
  assert(o.series[0].markArea.data.length === 6, `six zone bands (±1σ, ±2σ, ±3σ): ${o.series[0].markArea.data.length}`);
  const labels = o.series[1].data.map(d => d.rules.join(' '));
  assert(labels.includes('8 1 3 5'), `the rules named at yesterday: ${labels}`);
  assert(o.series.length === 3 && o.series[2].markLine.data.length === 2, 'the moving-range chart under it');
  const rules = await p.$$eval('.spc-signal', els => els.map(e => e.dataset.rule));
  assert(rules.includes('8') && rules.includes('1'), `signals listed: ${rules}`);
  await until(p, '.spc-checks', t => t.split('\n').length > 2, "the KPI's 监控措施 beside it");
  await p.click('.spc-signal[data-rule="1"]');
  await until(p, '.spc-card', t => t.includes('规则: 8, 1, 3, 5'), "a signal clicked shows its point's rules");
  // The page's own period matches the API's answer for the same days.
  assert(Math.abs(want.points[want.points.length - 1] - points[last].value) < 1e-9, "yesterday's value as the API gives it");
  await top(p);
  await shot(p, 'reports-spc');
  ok('the control chart: CL, UCL, LCL, six zones, the last eight points red, rules 8 1 3 5 named, MR chart, checks');

  // Another rule set: other rules, the same limits.
  await p.click('.spc-rules');
  await p.click('.el-select-dropdown:visible .el-select-dropdown__item:has-text("Nelson")');
  await until(p, '.spc-kind', t => t.includes('Nelson'), 'Nelson chosen');
  const n = await chartOf(p, 'spc', o => o.series[1].data.every(d => d.rules.join(' ') !== '8 1 3 5'),
    "Nelson's rules drawn");
  assert(JSON.stringify(n.series[0].markLine.data.map(l => l.yAxis)) === JSON.stringify(lines),
    'the limits do not move with the rule set');
  ok("Nelson's rules: the signals change, the limits stay");

  // Limits from a baseline: the first 34 days, judged stable.
  const bto = new Date(Date.parse(yday + 'T00:00:00Z') - 8 * 86400000);
  const day = d => d.toISOString().slice(0, 10);
  const base = await api(p, `/api/v1/reports/spc?kpi=avg_handle_time&interval=1d&from=${from.toISOString()}` +
    `&to=${new Date(Date.parse(yday + 'T00:00:00Z') + 86400000).toISOString()}` +
    `&baseline_from=${from.toISOString()}&baseline_to=${new Date(bto.getTime() + 86400000).toISOString()}`);
  assert(base.ucl < want.ucl, `a stable baseline's limits are tighter: ${base.ucl} vs ${want.ucl}`);
  await go(p, '#/daily');
  await go(p, `#/spc?kpi=avg_handle_time&interval=1d&bfrom=${day(new Date(Date.now() - 42 * 86400000))}&bto=${day(bto)}`);
  const bl = await chartOf(p, 'spc', o => o.series[0].markArea.data.length === 7 &&
    Math.abs(Math.max(...o.series[0].markLine.data.filter(l => l.lineStyle.color === '#f56c6c').map(l => l.yAxis)) -
      base.ucl) < 1e-9, 'the limits of the baseline, the baseline shaded');
  assert(bl.series[0].markArea.data[6][0].xAxis === bl.xAxis[0].data[0], 'the shading starts at the first day');
  await top(p);
  await shot(p, 'reports-spc-baseline');
  ok('a baseline period sets the limits (as the API computes them) and is shaded on the chart');

  // By the hour: three weeks, one point per hour with calls (the seeded
  // buckets are at 09:00).
  await p.click('.spc-interval .el-radio-button:nth-child(2)');
  const hourly = await chartOf(p, 'spc', o => o.xAxis[0].data.length >= 20 && o.xAxis[0].data.length <= 21 &&
    o.xAxis[0].data.every(l => /^\d\d-\d\d \d\d:00$/.test(l)), 'three weeks of hours with calls');
  ok('by the hour: the period follows the interval (three weeks), points labelled by their hour');

  const [dl] = await Promise.all([p.waitForEvent('download'), p.click('.spc-csv')]);
  const csv = readFileSync(await dl.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert(csv[0].startsWith('point,start,value,center,lcl,ucl'), `the CSV's header: ${csv[0]}`);
  assert(csv.length === hourly.xAxis[0].data.length + 1, `a CSV row per point shown: ${csv.length}`);
  const [png] = await Promise.all([p.waitForEvent('download'), p.click('.spc-png')]);
  assert(readFileSync(await png.path()).subarray(1, 4).toString() === 'PNG', 'the picture is a PNG');
  ok('the chart downloads as CSV (a row per point) and as a PNG');

  // A rate: the p-chart, its limits per interval, the target beside them.
  await go(p, '#/daily');
  await go(p, '#/spc?kpi=service_level&queue=sales&interval=1d');
  const pc = await chartOf(p, 'spc', o => o.series.some(x => x.name === 'UCL' && x.data.length >= 30),
    "the service level's p-chart with its limits per day");
  assert(pc.series[0].markLine.data.some(l => l.lineStyle.color === '#67c23a' && l.yAxis === 0.8),
    'the 80 % target drawn beside the limits');
  await until(p, '.spc-kind', t => t.includes('p 图'), 'named a p-chart');
  ok("a rate's p-chart: limits per day and the reference's target line");

  // --- 归属地分布: the map of China
  await go(p, '#/region');
  const map = await chartOf(p, 'region', o => o.series[0].data.filter(d => d.value != null).length === 6,
    'six provinces with calls on the map');
  const gd = map.series[0].data.find(d => d.name === '广东');
  assert(gd && gd.value === 40 && map.series[0].map === 'china', `广东 on the map: ${JSON.stringify(gd)}`);
  assert(map.series[0].data.some(d => d.name === '新疆' && d.value === 3), 'a region name shortened to the map\'s');
  await until(p, '.region-table', t => t.includes('广东省') && t.includes('40'), 'the table beside it');
  await until(p, '.region-unknown', t => t.includes('5'), 'the calls of no known region');
  const [rcsv] = await Promise.all([p.waitForEvent('download'), p.click('.region-csv')]);
  const rrows = readFileSync(await rcsv.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert(rrows[0] === 'province,city,calls,answered,answered_rate,share', `the region CSV's header: ${rrows[0]}`);
  assert(rrows[1].startsWith('广东省,,40,') && rrows[rrows.length - 1].startsWith('合计,,96,'),
    `the region CSV: 广东省 first, the total last: ${rrows.join(' | ')}`);
  const [rx] = await Promise.all([p.waitForEvent('download'), p.click('.region-xlsx')]);
  assert(readFileSync(await rx.path()).subarray(0, 2).toString() === 'PK', 'the region XLSX is a workbook');
  await shot(p, 'reports-region');
  ok('calls by province on the map of China and in the table');

  // --- 直方图: talk times, two queues mixed, then split
  await go(p, '#/histogram');
  await until(p, '.hist-shape', t => t.includes('双峰型'), 'the talk times read bimodal');
  const h = await chartOf(p, 'hist', o => o.series[0].data.length >= 5, 'the histogram drawn');
  assert(h.series[0].data.reduce((s, d) => s + d[2], 0) === 90, 'every answered call in a bin');
  await p.click('.hist-by');
  await p.click('.el-select-dropdown:visible .el-select-dropdown__item:has-text("按队列")');
  await until(p, '.hist-multi', t => t.includes('sales') && t.includes('support'), 'one histogram per queue');
  await chartOf(p, 'hist-sales', o => o.series[0].data.length >= 5, "sales' own histogram");
  const shapes = await p.$$eval('.hist-stratum .stratum-shape', els => els.map(e => e.textContent.trim()));
  assert(shapes.length === 2 && !shapes.includes('双峰型'), `each queue alone is one population: ${shapes}`);
  await p.$eval('.hist-multi', e => e.scrollIntoView());
  await shot(p, 'reports-hist');
  const [hcsv] = await Promise.all([p.waitForEvent('download'), p.click('.hist-csv')]);
  const hrows = readFileSync(await hcsv.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert(hrows[0] === 'group,shape,bin,lo,hi,count,share', `the histogram CSV's header: ${hrows[0]}`);
  assert(hrows.some(r => r.startsWith('sales,')) && hrows.some(r => r.startsWith('support,')) &&
    hrows[1].startsWith(',bimodal,1,'), `the histogram CSV: all values, then each queue: ${hrows.slice(0, 3)}`);
  ok('the histogram: bimodal over both queues, one population each by queue; its bins as CSV');

  // The wall in English too.
  const en = await page(b, 'en');
  await signIn(en, 'sup', 'sup123');
  await go(en, `#/daily?day=${yday}`);
  await until(en, '.daily-missed', t => /\d+ missed/.test(t), 'the daily summary in English');
  await shot(en, 'reports-daily-en');
  noErrors(en, 'sup (en)');
  noErrors(p, 'sup');
} finally {
  await b.close();
}
