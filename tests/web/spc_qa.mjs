// 控制图 → 质检评分 (spc_qa.sh seeds twelve weeks of scores, the last one
// far below): the X̄-R chart by week with its range chart, the last week
// red and labelled rule 1, the signal listed; the too-few-points refusal
// in Chinese; the QA score's target in Chinese on the daily summary.
import { browser, page, signIn, shot, until, ok, assert, noErrors, choose } from './common.mjs';

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
  await shot(p, 'spc-qa-week');
  ok('QA scores by week as X̄-R: the last week is rule 1, in red, with the range chart under it');

  await choose(p, '.spcqa-n', '10');
  await until(p, '.spcqa-why', t => t.includes('点数太少') && t.includes('期间内 0 个点'), 'the refusal in Chinese');
  await shot(p, 'spc-qa-too-few');
  ok('n = 10: the server\'s too-few-points refusal shown in Chinese');

  await p.evaluate(() => { location.hash = '#/daily'; });
  // The day's page charts 30 days of every KPI before it settles: slow on
  // a loaded machine. The day has no calls: it says so, and its tiles
  // still show each KPI's target, the values empty.
  await until(p, '.daily-nodata', t => t.includes('当日没有数据'), 'the day without calls said', 60);
  await until(p, '.kpi-tile[data-kpi=asa] .v', t => t === '—', 'an empty value');
  await until(p, '.kpi-tile[data-kpi=qa_score] .target', t => t.includes('百分制'), 'the QA score target in Chinese');
  await until(p, '.kpi-tile[data-kpi=calls_per_agent_hour] .target', t => t.includes('无统一目标'),
    'calls per agent hour target in Chinese');
  ok('the daily summary shows the reference\'s targets without numbers in Chinese');
  noErrors(p, 'sup');
} finally {
  await b.close();
}
