// 报表: the administrator reads reports from the list (reports_list.sh sets
// the scene and reads the downloads back).
import { browser, page, signIn, open, shot, until, step, ok, noErrors, choose, assert, patient } from './common.mjs';

const out = process.argv[2];
const b = await browser();
try {
  const p = await page(b);
  await signIn(p, 'admin', 'admin123');
  await open(p, 'report-list');
  const menu = await until(p, '.rpt-menu', t => t.includes('业务报表') && t.includes('话务报表') &&
    t.includes('话务分析'), 'the list in the manual\'s sections');
  for (const name of ['来电分类统计', '满意度统计', '满意度明细', '质检考评报表', '坐席签入签出报表', '坐席示忙报表',
    '呼入电话明细', '外呼统计', '外呼明细', 'ACD排队统计', '队列呼损情况明细', '队列呼损统计',
    '中继呼叫明细', '自动呼入数据分析', '话务员工作量', '中继话务量'])
    assert(menu.includes(name), `the list lacks ${name}`);

  // The first report: 来电分类统计 by wrap-up code, its total last.
  await until(p, '.rpt-table', t => t.includes('投诉') && t.includes('合计') && t.includes('110'),
    '来电分类统计 with its total');
  const total = await p.innerText('.rpt-table .rpt-total');
  assert(total.includes('110') && total.includes('100.00'), `the total line: ${total}`);
  await shot(p, 'reports-list-types');
  ok('来电分类统计 by wrap-up code, with labels and the total line');

  await choose(p, '.rpt-group', '队列');
  await p.click('.rpt-search');
  await until(p, '.rpt-table', t => t.includes('support') && !t.includes('投诉'), 'grouped by queue');
  await choose(p, '.rpt-group', '来电类型');
  await p.click('.rpt-search');
  await until(p, '.rpt-table', t => t.includes('投诉'), 'grouped by wrap-up code again');
  ok('another grouping from the report\'s own list');

  const [csv] = await Promise.all([p.waitForEvent('download', { timeout: patient(20000) }), p.click('.rpt-csv')]);
  await csv.saveAs(out + '.csv');
  assert(csv.suggestedFilename() === 'call-types.csv', csv.suggestedFilename());
  const [xl] = await Promise.all([p.waitForEvent('download', { timeout: patient(20000) }), p.click('.rpt-xlsx')]);
  await xl.saveAs(out + '.xlsx');
  assert(xl.suggestedFilename() === 'call-types.xlsx', xl.suggestedFilename());
  ok('CSV and Excel downloads');

  // A detail: filtered by queue, then the 110 inbound calls over two pages.
  await p.click('.rpt-inbound-detail');
  await until(p, '.rpt-title', t => t.includes('呼入电话明细'), 'the detail picked');
  await until(p, '.rpt-page', t => t.includes('第 1 页'), 'the first page');
  await p.fill('.rpt-f-queue input', 'support');
  await p.click('.rpt-search');
  await until(p, '.rpt-table', t => t.includes('c03') && t.includes('c07') && !t.includes('c01'),
    'the support calls');
  await p.fill('.rpt-f-queue input', '');
  await p.click('.rpt-search');
  await until(p, '.rpt-table', t => t.includes('c01'), 'every inbound call');
  assert(await p.isEnabled('.rpt-next'), 'a second page');
  await p.click('.rpt-next');
  await until(p, '.rpt-page', t => t.includes('第 2 页'), 'the second page');
  await until(p, '.rpt-table', t => t.includes('p105') && !t.includes('c01'), 'the last calls');
  assert(!(await p.isEnabled('.rpt-next')), 'no third page');
  await shot(p, 'reports-list-detail');
  ok('呼入电话明细: a queue filter, and the next page by the server\'s cursor');

  // 话务量统计 by province (归属地).
  await p.click('.rpt-traffic');
  await until(p, '.rpt-title', t => t.includes('话务量统计'), 'traffic picked');
  await choose(p, '.rpt-group', '省份');
  await p.click('.rpt-search');
  await until(p, '.rpt-table', t => t.includes('广东省') && t.includes('浙江省'), 'traffic by province');
  await shot(p, 'reports-list-region');
  ok('话务量统计 by province');
  noErrors(p, 'admin');

  // A supervisor, in English: the same list and the report's English names.
  const en = await page(b, 'en');
  await signIn(en, 'sup', 'sup123');
  await open(en, 'report-list');
  await until(en, '.rpt-table', t => t.includes('Call type') && t.includes('Calls') &&
    t.includes('Share (%)'), 'the English column names');
  await en.click('.rpt-acd');
  await until(en, '.rpt-title', t => t.includes('ACD queueing'), 'ACD in English');
  await until(en, '.rpt-table', t => t.includes('Service level (%)') && t.includes('Total'), 'the ACD columns');
  await until(en, '.rpt-menu', t => t.includes('Business reports') && t.includes('Traffic analysis'), 'the sections');
  await shot(en, 'reports-list-en');
  noErrors(en, 'sup');
  ok('a supervisor reads the list in English');
  step('done');
} finally {
  await b.close();
}
