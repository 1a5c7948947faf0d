// Teaching cases in the browser (qa_coaching.sh seeds the teams, the
// recorded call and its evaluation): an inspector marks and shares a clip,
// an agent of the team plays it and the player stops at the pins.
import { browser, page, signIn, open, shot, until, ok, assert, noErrors, patient, tabsAre } from './common.mjs';

const b = await browser();
const choose = async (p, sel, text) => {
  await p.click(sel);
  await p.click(`.el-select-dropdown:visible .el-select-dropdown__item:has-text("${text}")`);
};
try {
  // --- the inspector marks the case
  const qa = await page(b);
  await signIn(qa, 'qa1', 'password-qa1');
  await open(qa, 'qa');
  await qa.click('#tab-coach');
  await until(qa, '.qa-coach-cases', t => t.includes('暂无教学案例'), 'no cases yet');
  await choose(qa, '.qa-coach-eval', 'c1');
  await qa.waitForFunction(() => { const a = document.querySelector('.qa-coach-full'); return a && a.readyState >= 1 && a.duration > 19; },
    null, { timeout: patient(20000) });
  await qa.$eval('.qa-coach-full', a => { a.currentTime = 2; });
  await qa.waitForFunction(() => Math.abs(document.querySelector('.qa-coach-full').currentTime - 2) < 0.05);
  await qa.click('.qa-coach-set-from');
  assert(await qa.$eval('.qa-coach-from input', i => i.value) === '2.0', 'the clip starts where the recording is');
  await qa.fill('.qa-coach-to input', '10');
  await qa.press('.qa-coach-to input', 'Tab');
  await choose(qa, '.qa-coach-team', '一组');
  await qa.click('.qa-coach-create');
  await until(qa, '.qa-coach-refusal', t => t.includes('note: required'), 'refused without a note');
  await qa.fill('.qa-coach-note textarea', '开场规范，值得学习');
  await qa.click('.qa-coach-create');
  await until(qa, '.qa-coach-cases', t => t.includes('优秀案例') && t.includes('开场规范') && t.includes('0:02.0') && t.includes('0:10.0'),
    'the case listed');
  await shot(qa, 'qa-coach-marked');
  noErrors(qa, 'qa1');
  ok('qa1 set the clip from the playing recording (2 s) and typed its end (10 s), was refused without a note, and shared the case with 一组');

  // --- an agent of 一组 plays it
  const ag = await page(b);
  await signIn(ag, '1002', 'secret1002');
  await open(ag, 'qa');
  await tabsAre(ag, '.qa-tabs', '我的质检 辅导', "the agent's tabs");
  await ag.click('#tab-coach');
  await until(ag, '.qa-coach-cases', t => t.includes('开场规范') && t.includes('一组'), 'the case reaches 一组');
  assert(!(await ag.$('.qa-coach-new')), 'an agent marks no case');
  await ag.click('.qa-coach-cases .qa-coach-play');
  await until(ag, '.qa-coach-pins', t => t.includes('0:01.0') && t.includes('先确认客户身份') && t.includes('0:04.0'), 'the pins in the clip');
  await ag.waitForFunction(() => { const a = document.querySelector('.qa-coach-audio'); return a && a.readyState >= 1; },
    null, { timeout: patient(20000) });
  const d = await ag.$eval('.qa-coach-audio', a => a.duration);
  assert(Math.abs(d - 8) < 0.05, `the player holds the clip alone: ${d} s`);
  await ag.$eval('.qa-coach-audio', a => a.play());
  await ag.waitForFunction(() => { const a = document.querySelector('.qa-coach-audio'); return a.paused && a.currentTime > 0.5; },
    null, { timeout: patient(15000) });
  const first = await ag.$eval('.qa-coach-audio', a => a.currentTime);
  assert(first >= 1 && first < 1.8, `stops at the first pin, not at ${first}`);
  await ag.$eval('.qa-coach-audio', a => a.play());
  await ag.waitForFunction(() => { const a = document.querySelector('.qa-coach-audio'); return a.paused && a.currentTime > 2; },
    null, { timeout: patient(15000) });
  const second = await ag.$eval('.qa-coach-audio', a => a.currentTime);
  assert(second >= 4 && second < 4.8, `stops at the second pin, not at ${second}`);
  await shot(ag, 'qa-coach-play');
  noErrors(ag, '1002');
  ok(`agent 1002 of 一组 played the 8 s clip; it stopped at each pinned comment (${first.toFixed(2)} s, ${second.toFixed(2)} s)`);
} finally {
  await b.close();
}
