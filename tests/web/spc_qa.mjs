// 控制图 → 质检评分 (spc_qa.sh seeds twelve weeks of scores, the last one
// far below): the X̄-R chart by week with its range chart, the last week
// red and labelled rule 1, the signal listed; no rule's name over the
// CL, UCL or LCL names; the chart as CSV and Excel; the too-few-points
// refusal in Chinese, and the histogram's too-few-values; a quality
// inspector (qa1) sees the tab, and only it; the QA score's target in
// Chinese on the daily summary.
import { readFileSync } from 'node:fs';
import { browser, page, signIn, shot, until, ok, assert, noErrors, choose, tabsAre } from './common.mjs';

const b = await browser();
const option = p => p.evaluate(() => {
  const c = window.echartsInstances && window.echartsInstances.spcQa;
  return c ? JSON.parse(JSON.stringify(c.getOption())) : null;
});
try {
  const p = await page(b);
  await signIn(p, 'sup', 'sup123');
  await p.evaluate(() => { location.hash = '#/spc?tab=qa'; });
  await until(p, '.spcqa-signal[data-rule="1"]', t => t.includes('3倍标准差'), "rule 1 listed in the deck's words");
  let o = null;
  for (let i = 0; i < 50 && !(o && o.series[0].data.length === 12); i++) {
    o = await option(p);
    await p.waitForTimeout(200);
  }
  assert(o && o.series[0].data.length === 12, `twelve weeks charted: ${JSON.stringify(o && o.series[0].data)}`);
  const pts = o.series[0].data;
  assert(pts[11].value === 64 && pts[11].itemStyle.color === '#f56c6c', `the last week red at 64: ${JSON.stringify(pts[11])}`);
  // The bad week drags the centre down: the weeks before it may read as a
  // run above it ("8"); rule 1 is the last week's alone.
  const api = await p.evaluate(async () => {
    const tok = JSON.parse(sessionStorage.getItem('hotline.session')).token;
    const q = new URLSearchParams({ subgroup: 'week', tz: String(-new Date().getTimezoneOffset()),
      from: new Date(Date.now() - 26 * 7 * 86400000).toISOString(), to: new Date().toISOString() });
    return (await fetch('/api/v1/reports/spc/qa?' + q, { headers: { Authorization: 'Bearer ' + tok } })).json();
  });
  assert(JSON.stringify(api.signals.filter(x => x.rule === '1').map(x => x.points)) === '[[11]]',
    `rule 1 at the last week only: ${JSON.stringify(api.signals)}`);
  const flagged = new Set(api.signals.flatMap(x => x.points));
  assert(pts.every((x, i) => (x.itemStyle.color === '#f56c6c') === flagged.has(i)), 'red exactly where a signal is');
  const last = o.series[1].data.find(d => d.value[1] === 64);
  assert(last && last.rules.includes('1'), `rule 1 named over its point: ${JSON.stringify(o.series[1].data)}`);
  await until(p, '.spcqa-count', t => t.includes(`${api.signals.length} 个信号`), 'the count of signals');
  const r = o.series.find(s => s.yAxisIndex === 1);
  assert(r && r.name === '极差' && r.data.length === 12 && r.data[0] !== null, `the range chart: ${JSON.stringify(r)}`);
  const limits = o.series[0].markLine.data.map(l => l.yAxis);
  assert(limits.length === 3 && limits[1] > 64 && limits[2] > 64, `UCL and LCL above the bad week: ${limits}`);
  await until(p, '.spc-qa .spc-head', t => t.includes('均值-极差图') && t.includes('n = 5'), 'chart kind and n');
  // The deck's rules in Chinese alone (the server sends "中文 (English)").
  const words = await p.$$eval('.spc-qa .what', els => els.map(e => e.firstChild.textContent.trim()));
  assert(words.includes('1个点落在以均值为中心的3倍标准差之外') && words.every(w => !/[A-Za-z]/.test(w)),
    `the rules' words: ${JSON.stringify(words)}`);
  await shot(p, 'spc-qa-week');
  ok('QA scores by week as X̄-R: the last week is rule 1, in red, with the range chart under it');

  // The rules' names (red) and the limits' names as drawn: no box of one
  // meets a box of the other (the "8" over the weeks before the last fell
  // on "CL" at the line's end).
  const boxes = await p.evaluate(() => window.echartsInstances.spcQa.getZr().storage.getDisplayList()
    .filter(e => e.style && typeof e.style.text === 'string' && e.style.text).map(e => {
      const r = e.getBoundingRect().clone();
      const m = e.getComputedTransform();
      if (m) r.applyTransform(m);
      return { text: e.style.text, fill: e.style.fill, x: r.x, y: r.y, w: r.width, h: r.height };
    }));
  const ruleBoxes = boxes.filter(b => b.fill === '#f56c6c' && /^[0-9·]+$/.test(b.text));
  const limitBoxes = boxes.filter(b => /^(CL|UCL|LCL) /.test(b.text));
  assert(ruleBoxes.length >= 2 && limitBoxes.length === 3, `labels found: ${JSON.stringify(boxes)}`);
  const meet = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  for (const r of ruleBoxes)
    for (const l of limitBoxes)
      assert(!meet(r, l), `rule ${r.text} over ${l.text}: ${JSON.stringify([r, l])}`);
  ok('the rules named over their points stay clear of the CL, UCL and LCL names');

  const [csv] = await Promise.all([p.waitForEvent('download'), p.click('.spcqa-csv')]);
  const rows = readFileSync(await csv.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert(rows[0] === 'subgroup,start,evaluations,mean,center,lcl,ucl,minus_2sigma,minus_1sigma,plus_1sigma,' +
    'plus_2sigma,range,range_center,range_lcl,range_ucl,signals', `the CSV's header: ${rows[0]}`);
  assert(rows.length === 13 && rows[12].startsWith('11,') && rows[12].split(',')[3] === '64' &&
    rows[12].split(',')[15].split(' ').includes('1'), `a row a week, the last 64 and rule 1: ${rows.join(' | ')}`);
  const [xl] = await Promise.all([p.waitForEvent('download'), p.click('.spcqa-xlsx')]);
  assert(readFileSync(await xl.path()).subarray(0, 2).toString() === 'PK', 'the XLSX is a workbook');
  ok('the chart downloads as CSV (a row a week) and as Excel');

  await choose(p, '.spcqa-n', '10');
  await until(p, '.spcqa-why', t => t.includes('点数太少') && t.includes('期间内 0 个点'), 'the refusal in Chinese');
  await shot(p, 'spc-qa-too-few');
  ok('n = 10: the server\'s too-few-points refusal shown in Chinese');

  // The histogram's refusal in Chinese too: no work order was ever done.
  await p.evaluate(() => { location.hash = '#/histogram'; });
  await choose(p, '.hist-measure', '工单处理时长');
  await until(p, '.hist-page .spc-why', t => t.includes('期间内只有 0 个数据') && t.includes('至少需要 20 个'),
    "the histogram's too-few-values refusal in Chinese");
  ok('the histogram\'s too-few-values refusal shown in Chinese');

  // A quality inspector reads the QA scores' chart: the tab alone (the KPI
  // charts are supervisors'), in the menu, drawn as for sup.
  const q = await page(b);
  await signIn(q, 'qa1', 'password-qa1');
  await q.waitForSelector('[data-page=spc]');
  await q.click('[data-page=spc]');
  await until(q, '.spcqa-count', t => t.includes(`${api.signals.length} 个信号`), "qa1's chart and its signals");
  await tabsAre(q, '.spc-tabs', '质检评分 (X̄-R)', "qa1's tabs");
  await shot(q, 'spc-qa-inspector');
  noErrors(q, 'qa1');
  ok('a quality inspector sees the QA scores tab, and only it');

  // Yesterday, which has KPI rows (spc_qa.sh seeds them).
  await p.evaluate(() => {
    const d = new Date(Date.now() - 86400000), p2 = n => String(n).padStart(2, '0');
    location.hash = `#/daily?day=${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;
  });
  // The day's page charts 30 days of every KPI before it settles: slow on a loaded machine.
  await until(p, '.kpi-tile[data-kpi=qa_score] .target', t => t.includes('百分制'), 'the QA score target in Chinese', 60);
  await until(p, '.kpi-tile[data-kpi=calls_per_agent_hour] .target', t => t.includes('无统一目标'),
    'calls per agent hour target in Chinese');
  ok('the daily summary shows the reference\'s targets without numbers in Chinese');
  // Today has no calls: the page says so, and its tiles still show each
  // KPI's target, the values empty.
  await p.evaluate(() => { location.hash = '#/spc'; });
  await p.waitForSelector('.spc-tabs');
  await p.evaluate(() => { location.hash = '#/daily'; });
  await until(p, '.daily-nodata', t => t.includes('当日没有数据'), 'the day without calls said', 60);
  await until(p, '.kpi-tile[data-kpi=asa] .v', t => t === '—', 'an empty value');
  await until(p, '.kpi-tile[data-kpi=qa_score] .target', t => t.includes('百分制'), "today's QA score target");
  ok('a day without calls keeps its tiles with the targets and says it has no data');
  noErrors(p, 'sup');
} finally {
  await b.close();
}
