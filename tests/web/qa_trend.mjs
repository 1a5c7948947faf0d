// The QA report's trend (ECharts) and per-item views, the reader in
// Beijing (qa_trend.sh seeds the scores; argv: the two weeks, the XLSX).
import { browser, BASE, signIn, open, shot, until, ok, assert, noErrors, patient } from './common.mjs';

const [w2, w1, out] = process.argv.slice(2);
const b = await browser();
const choose = async (p, sel, text) => {
  await p.click(sel);
  await p.click(`.el-select-dropdown:visible .el-select-dropdown__item:has-text("${text}")`);
};
// What the trend chart shows: its periods and each agent's line.
const chart = p => p.evaluate(() => {
  const c = window.echartsInstances && window.echartsInstances.qaTrend;
  if (!c) return null;
  const o = c.getOption();
  return { x: o.xAxis[0].data, series: o.series.map(s => [s.name, s.data]) };
});
try {
  const ctx = await b.newContext({ viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
  const sup = await ctx.newPage();
  sup.errors = [];
  sup.on('pageerror', e => sup.errors.push(e.message));
  await sup.goto(BASE + '/');
  await signIn(sup, 'sup', 'sup123');
  await open(sup, 'qa');
  await sup.click('#tab-report');
  await until(sup, '.qa-report-table', t => t.includes('1001') && t.includes('1002'), 'the report by agent');
  await choose(sup, '.qa-by', '坐席得分趋势');
  await sup.waitForFunction(() => window.echartsInstances && window.echartsInstances.qaTrend, null, { timeout: patient(15000) });
  let c = await chart(sup);
  assert(JSON.stringify(c) === JSON.stringify({ x: [w2, w1], series: [['1001', [85, 70]], ['1002', [null, 100]]] }),
    `the weekly lines: ${JSON.stringify(c)}`);
  await until(sup, '.qa-trend-table', t => t.includes(w2) && /1001\s+\S+\s+1\s+70/.test(t), 'the rows beside the chart');
  await shot(sup, 'qa-trend-week');
  ok(`one line per agent by Beijing week (${w2}: 85; ${w1}: 70 — the 00:30 Monday score — and 1002's 100)`);
  await sup.click('.qa-period .el-radio-button:nth-child(2)');
  await sup.waitForFunction(() => {
    const o = window.echartsInstances.qaTrend.getOption();
    return o.xAxis[0].data.every(p => p.endsWith('-01'));
  }, null, { timeout: patient(15000) });
  c = await chart(sup);
  assert(c.series.length === 2, `monthly: ${JSON.stringify(c)}`);
  await shot(sup, 'qa-trend-month');
  await sup.click('.qa-period .el-radio-button:nth-child(1)');
  await sup.waitForFunction(w => window.echartsInstances.qaTrend.getOption().xAxis[0].data[0] === w, w2, { timeout: patient(15000) });
  const [xl] = await Promise.all([sup.waitForEvent('download', { timeout: patient(20000) }), sup.click('.qa-xlsx')]);
  assert(xl.suggestedFilename() === 'qa-report-trend.xlsx', xl.suggestedFilename());
  await xl.saveAs(out);
  ok('by month, then back by week and downloaded as XLSX');
  await choose(sup, '.qa-by', '按考评项');
  await until(sup, '.qa-item-table', t => t.includes('greet') || t.includes('62.5%'), 'the item view');
  await until(sup, '.qa-item-table', t => t.includes('62.5%'), 'the pass rate (yes 2, partial 1, no 1)');
  await shot(sup, 'qa-report-item');
  noErrors(sup, 'sup');
  ok('the pass rate per scorecard item: 62.5 %');
} finally {
  await b.close();
}
