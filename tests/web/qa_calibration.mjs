// Blind calibration in the browser (qa_calibration.sh seeds the call, the
// card and the inspectors): the lead opens a session, two inspectors score
// it blind, the spread shows as a heat map, the lead closes it.
import { browser, page, signIn, open, shot, until, ok, assert, noErrors, patient, tabsAre } from './common.mjs';

const b = await browser();
const answer = (p, item, n) => p.click(`.qa-cal-pending .qa-item[data-item=${item}] .el-radio-button:nth-child(${n})`);
// A multiple select: opened by its arrow, each option clicked, closed.
const pick = async (p, sel, texts) => {
  const box = await (await p.$(sel)).boundingBox();
  await p.click(sel, { position: { x: box.width - 12, y: box.height / 2 } });   // the arrow, not a chosen tag's ×
  await p.waitForSelector('.el-select-dropdown:visible', { timeout: patient(5000) });
  for (const x of texts) await p.click(`.el-select-dropdown:visible .el-select-dropdown__item:has-text("${x}")`);
  await p.keyboard.press('Escape');
  await p.waitForSelector('.el-select-dropdown:visible', { state: 'detached', timeout: 5000 }).catch(() => {});
};
// qa scores k1 from 待我校准: the form opens on the session's card.
const score = async (p, answers, score) => {
  await until(p, '.qa-cal-pending .qa-samples', t => t.includes('k1') && t.includes('1001'), 'k1 waits for a score');
  await p.click('.qa-cal-pending .qa-samples tr:has-text("k1") .qa-open');
  await until(p, '.qa-cal-pending .qa-card', t => t.includes('耐心倾听'), 'the session\'s card');
  await until(p, '.qa-cal-pending .qa-card-pick', t => t.includes('校准质检单'), 'the card picked');
  for (const [item, n] of Object.entries(answers)) await answer(p, item, n);
  await p.click('.qa-cal-pending .qa-save');
  await until(p, '.el-message', t => t.includes(score), `saved: ${score}`);
  await until(p, '.qa-cal-pending .qa-samples', t => !t.includes('k1'), 'k1 no longer waits');
};
try {
  // --- the lead opens the session
  const sup = await page(b);
  await signIn(sup, 'sup', 'sup123');
  await open(sup, 'qa');
  await tabsAre(sup, '.qa-tabs', '申诉处理 校准 辅导 质检考评报表', "the lead's tabs");
  await sup.click('#tab-calibrate');
  await sup.fill('.qa-cal-call input', 'k1');
  await pick(sup, '.qa-cal-inspectors', ['qa1']);
  await sup.click('.qa-cal-create');
  await until(sup, '.qa-cal-refusal', t => t.includes('inspectors: want two or more'), 'one inspector refused');
  await until(sup, '.qa-cal-sessions', t => t.includes('暂无校准'), 'nothing opened');
  await pick(sup, '.qa-cal-inspectors', ['qa2']);
  await sup.fill('.qa-cal-note input', '本周校准');
  await sup.click('.qa-cal-create');
  await until(sup, '.qa-cal-sessions', t => t.includes('k1') && t.includes('进行中') && t.includes('qa1') && t.includes('qa2'),
    'the session listed');
  await shot(sup, 'qa-cal-open');
  ok('the lead, refused one inspector with the server\'s reason, opened a session on k1 for qa1 and qa2');

  // --- qa2 sees the session blind
  const q2 = await page(b);
  await signIn(q2, 'qa2', 'password-qa2');
  await open(q2, 'qa');
  await tabsAre(q2, '.qa-tabs', '待质检 校准 辅导 质检考评报表', "the inspector's tabs");
  await q2.click('#tab-calibrate');
  await until(q2, '.qa-cal-pending .qa-samples', t => t.includes('k1'), 'k1 waits for qa2');
  await until(q2, '.qa-cal-sessions', t => t.includes('k1'), 'qa2\'s sessions');

  // --- qa1 scores (85)
  const q1 = await page(b);
  await signIn(q1, 'qa1', 'password-qa1');
  await open(q1, 'qa');
  await q1.click('#tab-calibrate');
  await score(q1, { greet: 1, listen: 3, solve: 1, close: 1 }, '85');
  await until(q1, '.qa-cal-sessions', t => t.includes('qa1 ✓') && !t.includes('qa2 ✓'), 'qa1 marked as scored');
  noErrors(q1, 'qa1');
  ok('qa1 scored k1 from 待我校准 on the session\'s card: 85');

  // qa2, not yet scored, reads no result.
  await q2.click('.qa-cal-refresh');
  await until(q2, '.qa-cal-sessions', t => t.includes('qa1 ✓'), 'qa2 sees that qa1 scored');
  await q2.click('.qa-cal-sessions tr:has-text("k1") .qa-cal-show');
  await until(q2, '.qa-cal-report', t => t.includes('背靠背校准'), 'blind');
  assert(!(await q2.$('.qa-heat')), 'no heat map while blind');
  await shot(q2, 'qa-cal-blind');
  await q2.keyboard.press('Escape');
  ok('qa2, invited and not yet scored, sees that qa1 scored, not how');
  await score(q2, { greet: 1, listen: 2, solve: 1, close: 4 }, '66.67');
  await q2.click('.qa-cal-sessions tr:has-text("k1") .qa-cal-show');
  await until(q2, '.qa-cal-report .qa-heat', t => t.includes('耐心倾听'), 'the heat map');
  const row = await q2.$$eval('.qa-heat tr[data-item=listen] td', tds => tds.map(td => td.textContent.trim()));
  assert(row.join('|') === '耐心倾听|部分|否|部分|50.0%|0.5', `the listen row: ${row.join('|')}`);
  const cells = await q2.$$eval('.qa-heat tr[data-item=listen] .qa-heat-cell', tds => tds.map(td => td.dataset.answer + ' ' + td.style.background));
  assert(cells[0].startsWith('partial rgb(250, 236, 216)') && cells[1].startsWith('no rgb(253, 226, 226)'), `the colours: ${cells}`);
  const close = await q2.$$eval('.qa-heat tr[data-item=close] td', tds => tds.map(td => td.textContent.trim()));
  assert(close.join('|') === '结束语|是|不适用|是|50.0%|0', `the close row: ${close.join('|')}`);
  await until(q2, '.qa-cal-inspector-table', t => /qa1\s+85\s+9\.1[67]\s+0/.test(t) && /qa2\s+66\.67\s+-9\.1[67]\s+2/.test(t),
    'the spread per inspector');
  await shot(q2, 'qa-cal-report');
  await q2.keyboard.press('Escape');
  noErrors(q2, 'qa2');
  ok('qa2 scored (66.67) and then read the heat map: per item each answer, consensus, agreement and spread; per inspector the deviation');

  // --- the lead closes it
  await sup.click('.qa-cal-refresh');
  await until(sup, '.qa-cal-sessions', t => t.includes('qa1 ✓') && t.includes('qa2 ✓'), 'both scored');
  await sup.click('.qa-cal-sessions tr:has-text("k1") .qa-cal-close');
  await until(sup, '.qa-cal-report .qa-heat', t => t.includes('解决问题'), 'the result on closing');
  await sup.keyboard.press('Escape');
  await until(sup, '.qa-cal-sessions', t => t.includes('已结束'), 'closed');
  assert(!(await sup.$('.qa-cal-sessions .qa-cal-close')), 'nothing left to close');
  await shot(sup, 'qa-cal-closed');
  noErrors(sup, 'sup');
  ok('the lead closed the session and read the result');
} finally {
  await b.close();
}
