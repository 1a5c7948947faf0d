// 工单统计: the supervisor's figures, charts and tables against the API,
// a department filter, FCR with its definition, the downloads; the
// back-office lead's scope; no tab for an agent (wo_report.sh sets the
// scene and reads the downloads back).
import { BASE, browser, page, signIn, open, shot, until, ok, noErrors, choose, assert, patient } from './common.mjs';

const out = process.argv[2];
const tech = process.env.WEB_TECH;

async function token(user, password) {
  const r = await fetch(BASE + '/api/v1/auth/login', { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password }) });
  return (await r.json()).token;
}
async function api(tok, path) {
  const r = await fetch(BASE + path, { headers: { Authorization: 'Bearer ' + tok } });
  assert(r.ok, `${path}: ${r.status}`);
  return r.json();
}
const pct = x => (x == null ? '—' : (x * 100).toFixed(1) + '%');

// The page's summary, tables and charts hold the report rep.
async function samePage(p, rep, who) {
  await until(p, '.wor-summary [data-k=total]', t => t === String(rep.total), `${who}: the total`);
  for (const k of ['compliance', 'reopen_rate'])
    assert(await p.innerText(`.wor-summary [data-k=${k}]`) === pct(rep[k]), `${who}: ${k}`);
  for (const key of ['by_category', 'by_department', 'by_state']) {
    const cells = await p.$$eval(`.wor-${key} .el-table__body tr`, trs => trs.map(tr =>
      [...tr.querySelectorAll('td')].map(td => td.innerText.trim())));
    const counts = cells.map(c => Number(c[1])).sort();
    const want = Object.values(rep[key]).sort();
    assert(JSON.stringify(counts) === JSON.stringify(want), `${who}: ${key} table ${JSON.stringify(cells)}`);
  }
  assert(await p.innerText('.wor-by_category') .then(t => Object.keys(rep.by_category).every(k => t.includes(k))),
    `${who}: the categories named`);
  const charts = await p.evaluate(() => Object.fromEntries(['woByCategory', 'woByState', 'woByDepartment']
    .map(id => [id, window.echartsInstances[id].getOption().series[0].data
      .map(d => (typeof d === 'object' ? d.value : d))])));
  const want = { woByCategory: rep.by_category, woByState: rep.by_state, woByDepartment: rep.by_department };
  for (const [id, data] of Object.entries(charts))
    assert(JSON.stringify([...data].sort()) === JSON.stringify(Object.values(want[id]).sort()),
      `${who}: chart ${id} ${JSON.stringify(data)}`);
}

const b = await browser();
try {
  const SUP = await token('sup', 'sup123');
  const s = await page(b);
  await signIn(s, 'sup', 'sup123');
  await open(s, 'workorders');
  await s.click('.wo-views .el-tabs__item:has-text("工单统计")');
  const all = await api(SUP, '/api/v1/reports/work-orders');
  await samePage(s, all, 'supervisor');
  assert(all.total === 6 && all.by_category['投诉'] === 3, `the seeded orders: ${JSON.stringify(all)}`);
  const def = await s.innerText('.wor-fcr');
  assert(def.includes('不需要呼叫者再呼') && def.includes('一次性解决问题的呼叫率'), `FCR's definition: ${def}`);
  const [from, to] = await s.evaluate(() => [...document.querySelectorAll('.wor-range input')].map(i => i.value));
  const fcr = await api(SUP, `/api/v1/reports/fcr?from=${new Date(from + 'T00:00:00').toISOString()}` +
    `&to=${new Date(new Date(to + 'T00:00:00').getTime() + 86400000).toISOString()}`);
  assert(await s.innerText('.wor-fcr-value') === pct(fcr.fcr), `FCR ${await s.innerText('.wor-fcr-value')} vs ${fcr.fcr}`);
  await shot(s, 'wo-report');
  ok('the supervisor\'s figures, tables and charts are the API\'s; FCR beside them with its definition');

  await choose(s, '.wor-dept', '技术部');
  await s.click('.wor-load');
  const one = await api(SUP, '/api/v1/reports/work-orders?department=' + tech);
  assert(one.total === 2 && one.reopen_rate === 0.5, `技术部: ${JSON.stringify(one)}`);
  await samePage(s, one, '技术部');
  const [csv] = await Promise.all([s.waitForEvent('download', { timeout: patient(20000) }), s.click('.wor-csv')]);
  await csv.saveAs(out + '.csv');
  assert(csv.suggestedFilename() === 'work-orders-report.csv', csv.suggestedFilename());
  const [xl] = await Promise.all([s.waitForEvent('download', { timeout: patient(20000) }), s.click('.wor-xlsx')]);
  await xl.saveAs(out + '.xlsx');
  assert(xl.suggestedFilename() === 'work-orders-report.xlsx', xl.suggestedFilename());
  await shot(s, 'wo-report-dept');
  ok('one department\'s figures; CSV and Excel downloads');
  noErrors(s, 'supervisor');

  const L = await token('bolead', 'pw-bolead-123');
  const l = await page(b);
  await signIn(l, 'bolead', 'pw-bolead-123');
  await open(l, 'workorders');
  await l.click('.wo-views .el-tabs__item:has-text("工单统计")');
  const mine = await api(L, '/api/v1/reports/work-orders');
  assert(mine.total < all.total, `the lead's scope: ${JSON.stringify(mine)}`);
  await samePage(l, mine, 'back-office lead');
  assert(!(await l.$('.wor-fcr')), 'the back office reads no FCR');
  ok(`the back-office lead's tab: ${mine.total} orders of their scope, no FCR`);
  noErrors(l, 'back-office lead');

  const g = await page(b);
  await signIn(g, '1001', 'secret1001');
  await open(g, 'workorders');
  await until(g, '.wo-table', () => true, 'the agent\'s work orders');
  assert(!(await g.$('.wo-views')), 'an agent has no 工单统计 tab');
  ok('no 工单统计 for an agent');
} finally {
  await b.close();
}
