// Workforce management in the browser, in Beijing time (wfm.sh seeds the
// history and checks through the API what this side saw and did).
import { writeFileSync } from 'fs';
import { browser, BASE, signIn, open, shot, until, ok, assert, choose, patient, tabsAre } from './common.mjs';

// Picks a time in the select under sel once the last list has closed (two
// lists open at once would leave the option ambiguous).
async function pick(p, sel, text) {
  const closed = () => p.waitForFunction(() => ![...document.querySelectorAll('.el-select-dropdown')]
    .some(e => e.offsetParent !== null));
  await closed();
  await choose(p, sel, text);
  await closed();
}

const out = process.argv[2], csvOut = process.argv[3];
const seen = {};
const b = await browser();
let p;
try {
  const ctx = await b.newContext({ viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
  p = await ctx.newPage();
  p.errors = [];
  p.on('pageerror', e => p.errors.push(e.message));
  await p.goto(BASE + '/');
  await signIn(p, 'sup', 'sup123');
  await open(p, 'wfm');
  await tabsAre(p, '.wfm-tabs', '预测与排班需求 班表 计划与实际', 'tabs');

  // --- 预测与排班需求
  await until(p, '.wfm-queue', t => t.includes('sales'), 'sales picked');
  await p.click('.wfm-run');
  const mape = await until(p, '.wfm-mape .v', t => /%$/.test(t), 'the MAPE card');
  seen.mape = mape;
  seen.peak = Number(await p.$eval('.wfm-cards .wfm-card:nth-child(5) .v', e => e.textContent.trim()));
  const held = await p.evaluate(() =>
    window.echartsInstances.wfm_held.getOption().series.map(s => s.data.length));
  assert(held.join() === '336,336', `the held-out week's actual and forecast: ${held}`);
  await until(p, '.wfm-held-title', t => t.includes('MAPE ' + mape), 'the held-out chart names the MAPE');
  const fc = await p.evaluate(() => {
    const o = window.echartsInstances.wfm_fc.getOption();
    return o.series.map(s => [s.type, s.data.length, Math.max(...s.data)]);
  });
  assert(fc.map(s => s[0] + s[1]).join() === 'bar336,bar336,line336', `the forecast chart: ${JSON.stringify(fc)}`);
  assert(fc[1][2] === seen.peak && fc[0][2] > 0 && fc[0][2] <= fc[1][2], `agents as bars: ${JSON.stringify(fc)}`);
  const days = await p.$$eval('.wfm-days .el-table__body tr', rows => rows.length);
  assert(days === 7, `a row per day: ${days}`);
  const [dl] = await Promise.all([p.waitForEvent('download', { timeout: patient(20000) }), p.click('.wfm-csv')]);
  await dl.saveAs(csvOut);
  await shot(p, 'wfm-forecast');
  await p.evaluate(() => document.querySelector('.wfm-chart-held').scrollIntoView());
  await shot(p, 'wfm-forecast-held');
  ok(`the forecast of sales: MAPE ${mape} over the held-out week (actual against forecast), ` +
    `peak ${seen.peak} agents scheduled, a table of 7 days`);

  await choose(p, '.wfm-queue', 'support');
  await p.click('.wfm-run');
  const why = await until(p, '.wfm-fc-error', t => t.includes('support') && t.includes('no handled call'), 'the refusal');
  await shot(p, 'wfm-forecast-refused');
  ok('support has no history: the refusal with the server\'s reason: ' + why.replace(/\n/g, ' '));

  // --- 班表
  await p.click('.wfm-tabs .el-tabs__item:has-text("班表")');
  await p.waitForSelector('.wfm-row[data-agent="1001"]');
  const today = await p.evaluate(() => { const d = new Date(); d.setHours(0, 0, 0, 0); return [d.getTime(), (d.getDay() + 6) % 7]; });
  seen.today_ms = today[0];
  const cell = a => `.wfm-row[data-agent="${a}"] td[data-day="${today[1]}"]`;
  // A click on the empty part of today's cell plans 1001's day there.
  await p.click(`${cell('1001')} .wfm-track`, { position: { x: 2, y: 8 } });
  await p.waitForSelector('.wfm-shift-dialog', { state: 'visible' });
  assert(await p.$eval('.wfm-sh-agent', e => e.textContent.includes('1001')), 'the dialog is for 1001');
  await until(p, '.wfm-on-duty', t => t.includes('8'), 'on duty 8 h (09:00–18:00 less an hour)');
  await p.click('.wfm-sh-save');
  await p.waitForSelector('.wfm-shift-dialog', { state: 'hidden' });
  await p.waitForSelector(`${cell('1001')} .wfm-bar`);
  await until(p, `${cell('1001')} .wfm-labels`, t => t.includes('09:00–18:00') && t.includes('休 12:00–13:00'), '1001\'s bar');
  const brk = await p.$eval(`${cell('1001')} .wfm-bar .wfm-brk`, e => e.style.left);
  assert(brk.startsWith('33.3'), `the lunch break 3 h into the 9 h bar: ${brk}`);
  ok('1001 planned today 09:00–18:00 with a lunch break, shown as a bar with the break cut out');

  // An overlapping shift: the server's 409 with its reason, in the dialog.
  await p.click(`${cell('1001')} .wfm-track`, { position: { x: 2, y: 8 } });
  await p.waitForSelector('.wfm-shift-dialog', { state: 'visible' });
  await pick(p, '.wfm-sh-start', '17:00');
  await pick(p, '.wfm-sh-end', '21:00');
  await p.click('.wfm-shift-dialog .wfm-break-row .el-button');
  await p.click('.wfm-sh-save');
  const refused = await until(p, '.wfm-shift-error', t => t.includes('overlapping'), 'the 409');
  await shot(p, 'wfm-shift-refused');
  ok('an overlapping 17:00–21:00 refused: ' + refused);
  await p.click('.wfm-shift-dialog .el-dialog__footer .el-button:has-text("取消")');
  await p.waitForSelector('.wfm-shift-dialog', { state: 'hidden' });

  // 1002's night shift, 18:00 to 03:00 with a break at 22:00.
  await p.click(`${cell('1002')} .wfm-track`, { position: { x: 2, y: 8 } });
  await p.waitForSelector('.wfm-shift-dialog', { state: 'visible' });
  await p.click('.wfm-tpl-late');   // 晚班 18:00–03:00, a break at 22:00
  await until(p, '.wfm-next-day', t => t === '次日', 'the end is the next day');
  await until(p, '.wfm-on-duty', t => t.includes('8 '), 'on duty 8 h');
  await p.click('.wfm-sh-save');
  await p.waitForSelector('.wfm-shift-dialog', { state: 'hidden' });
  await until(p, `${cell('1002')} .wfm-labels`, t => t.includes('18:00–03:00'), '1002\'s night shift');
  await until(p, '.wfm-totals', t => t.includes('2 人'), 'two agents on today');
  // Against sales' forecast: today's requirement under the hours planned.
  await choose(p, '.wfm-sh-queue', 'sales');
  const short = await until(p, `.wfm-need td:nth-child(${today[1] + 2})`, t => /小时/.test(t), 'sales\' requirement today');
  assert(await p.$eval(`.wfm-need td:nth-child(${today[1] + 2})`, e => e.classList.contains('short')),
    `13 hours planned fall short of ${short}`);
  seen.needDay = short;
  await shot(p, 'wfm-week');
  ok('1002\'s night shift planned; the week shows both, 2 agents on today');

  const thisWeek = await p.$eval('.wfm-range', e => e.textContent);
  await p.click('.wfm-copy');
  await until(p, '.wfm-range', t => t !== thisWeek.trim(), 'the next week');
  await p.waitForSelector(`${cell('1001')} .wfm-bar`);
  await until(p, `${cell('1002')} .wfm-labels`, t => t.includes('18:00–03:00'), 'copied');
  ok('the week copied to the next, shown there');
  // There, 1001 leaves an hour earlier and 1002's night is taken off.
  await p.click(`${cell('1001')} .wfm-bar`);
  await p.waitForSelector('.wfm-shift-dialog', { state: 'visible' });
  assert(await p.$eval('.wfm-shift-dialog .el-dialog__title', e => e.textContent) === '修改班次', 'the edit dialog');
  await pick(p, '.wfm-sh-end', '17:00');
  await p.click('.wfm-sh-save');
  await p.waitForSelector('.wfm-shift-dialog', { state: 'hidden' });
  await until(p, `${cell('1001')} .wfm-labels`, t => t.includes('09:00–17:00'), '1001 changed');
  await p.click(`${cell('1002')} .wfm-label`);
  await p.waitForSelector('.wfm-shift-dialog', { state: 'visible' });
  await p.click('.wfm-sh-remove');
  await p.click('.el-message-box__btns .el-button--primary');
  await until(p, `${cell('1002')} .wfm-labels`, t => t === '', '1002\'s copy removed');
  ok('a copied shift changed (09:00–17:00) and another removed through the dialog');

  // --- 计划与实际
  await p.click('.wfm-tabs .el-tabs__item:has-text("计划与实际")');
  await p.waitForSelector('.wfm-adherence .el-table__body tr');
  await p.waitForFunction(() => window.echartsInstances && window.echartsInstances.wfm_staffing);
  seen.planned = await p.evaluate(() => window.echartsInstances.wfm_staffing.getOption().series[0].data);
  assert(seen.planned.length === 48 && seen.planned[18] === 1 && seen.planned[24] === 0,
    `planned: ${JSON.stringify(seen.planned)}`);
  // Against sales' forecast: the requirement drawn over the plan.
  await choose(p, '.wfm-ac-queue', 'sales');
  await p.waitForFunction(() => window.echartsInstances.wfm_staffing.getOption().series.length === 4);
  const need = await p.evaluate(() => window.echartsInstances.wfm_staffing.getOption().series[3].data);
  assert(need.length === 48 && Math.max(...need) > 1, `sales' requirement over the day: ${JSON.stringify(need)}`);
  seen.need = need;
  const bad = await p.$$eval('.wfm-adherence .el-table__body tr', rows =>
    rows.map(r => r.querySelector('td').textContent.trim() + ':' + r.classList.contains('wfm-below')).join(' '));
  assert(bad.includes('1001:true'), `1001 below target in red: ${bad}`);
  await until(p, '.wfm-kpi-attendance', t => t.includes('出勤率'), 'the 出勤率 card');
  assert(await p.$eval('.wfm-kpi-attendance', e => e.classList.contains('bad')), '出勤率 0 % coloured as missing');
  await shot(p, 'wfm-actual');
  await p.evaluate(() => document.querySelector('.wfm-adherence').scrollIntoView());
  await shot(p, 'wfm-actual-adherence');
  ok('today\'s planned staffing (1 at 09:00, 0 over lunch) and the adherence table, 1001 in red');

  // The same page in English.
  await p.goto(BASE + '/?lang=en#/wfm');
  await p.waitForSelector('.wfm-tabs');
  const en = await p.$$eval('.wfm-tabs .el-tabs__item', els => els.map(e => e.textContent.trim()).join(' | '));
  assert(en === 'Forecast & requirement | Schedule | Planned vs actual', `English tabs: ${en}`);
  await p.click('.wfm-run');
  await until(p, '.wfm-mape .v', t => /%$/.test(t), 'the MAPE card in English');
  await shot(p, 'wfm-forecast-en');
  assert(!p.errors.length, `console errors: ${JSON.stringify(p.errors)}`);

  // The administrator's team filter: 一组 holds 1001 alone.
  const ac = await b.newContext({ viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
  const a = await ac.newPage();
  a.errors = [];
  a.on('pageerror', e => a.errors.push(e.message));
  await a.goto(BASE + '/');
  await signIn(a, 'admin', 'admin123');
  await open(a, 'wfm');
  await a.click('.wfm-tabs .el-tabs__item:has-text("计划与实际")');
  await a.waitForSelector('.wfm-adherence .el-table__body tr');
  await choose(a, '.wfm-ac-dept', '一组');
  await a.waitForFunction(() => [...document.querySelectorAll('.wfm-adherence .el-table__body tr')]
    .map(r => r.querySelector('td').textContent.trim()).join() === '1001', null, { timeout: patient(15000) });
  await shot(a, 'wfm-actual-team');
  assert(!a.errors.length, `admin's console errors: ${JSON.stringify(a.errors)}`);
  ok('the administrator narrows adherence to the team 一组: 1001 alone');
  writeFileSync(out, JSON.stringify(seen));
  ok('the page in English');
} catch (e) {
  if (p) await p.screenshot({ path: `${process.env.SHOTS}/wfm-failed.png` }).catch(() => {});
  throw e;
} finally {
  await b.close();
}
