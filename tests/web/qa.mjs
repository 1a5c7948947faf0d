// Quality inspection in the browser (qa.sh seeds the call, scorecard and
// sample): the inspector scores with a pinned comment, the agent appeals,
// the lead changes the score, the report shows it and downloads as CSV.
import { writeFileSync, readFileSync } from 'fs';
import { browser, page, signIn, open, shot, until, ok, assert, noErrors, patient, tabsAre } from './common.mjs';

const out = process.argv[2];
const b = await browser();
const answer = (p, item, n) => p.click(`.qa-item[data-item=${item}] .el-radio-button:nth-child(${n})`);
try {
  // The agent is signed in from the start: told of the score as it is saved.
  const ag = await page(b);
  await signIn(ag, '1001', 'secret1001');
  await ag.waitForFunction(() => window.hotline.live.connected, null, { timeout: patient(15000) });

  const sup = await page(b);
  await signIn(sup, 'sup', 'sup123');
  await sup.waitForFunction(() => window.hotline.live.connected, null, { timeout: patient(15000) });

  // --- the inspector
  const qa = await page(b);
  await signIn(qa, 'qa1', 'password-qa1');
  await open(qa, 'qa');
  await until(qa, '.qa-samples', t => t.includes('q1') && t.includes('1001'), 'the sampled call waits for qa1');
  await tabsAre(qa, '.qa-tabs', '待质检 校准 辅导 质检考评报表', "the inspector's tabs");
  await qa.click('.qa-samples tr:has-text("q1") .qa-open');
  await until(qa, '.qa-card', t => t.includes('标准问候语') && t.includes('致命项'), 'the sales scorecard');
  await qa.waitForFunction(() => { const a = document.querySelector('.qa-audio'); return a && a.readyState >= 1 && a.duration > 19; },
    null, { timeout: patient(20000) });
  const bar = await qa.$$eval('.qa-audio-parts .audio-bar .seg', els => els.map(e => e.style.width));
  assert(bar.join(' ') === '40% 30% 10% 20%', `the audio measures' bar: ${bar.join(' ')}`);
  await until(qa, '.qa-audio-parts', t => t.includes('抢话') && t.includes('3.5'), 'the measures beside the player');
  // The player's two lanes (as in the call's details): the spans as
  // stored, overtalk on both; a click three quarters along seeks to 15 s.
  await until(qa, '.qa-player .audio-timeline', t => t.includes('客户') && t.includes('坐席'), 'the two lanes');
  const lane = sel => qa.$$eval('.qa-player ' + sel, els => els.map(e => e.dataset.from + '-' + e.dataset.to).join(' '));
  assert(await lane('.tl-lane-customer .tl-span') === '500-10500', `customer lane: ${await lane('.tl-lane-customer .tl-span')}`);
  assert(await lane('.tl-lane-agent .tl-span') === '8500-16500', `agent lane: ${await lane('.tl-lane-agent .tl-span')}`);
  assert(await lane('.tl-lane-agent .tl-over') === '8500-10500', `overtalk: ${await lane('.tl-lane-agent .tl-over')}`);
  const lanes = await qa.$eval('.qa-player .tl-lanes', e => e.getBoundingClientRect().toJSON());
  await qa.mouse.click(lanes.x + lanes.width * 3 / 4, lanes.y + 5);
  await qa.waitForFunction(() => Math.abs(document.querySelector('.qa-audio').currentTime - 15) < 0.5,
    null, { timeout: patient(10000) });
  await shot(qa, 'qa-timeline');
  ok('the scoring player shows the two lanes, and a click on them seeks');
  await qa.click('.qa-speed');
  await qa.click('.el-select-dropdown:visible .el-select-dropdown__item:has-text("1.5×")');
  assert(await qa.$eval('.qa-audio', a => a.playbackRate) === 1.5, 'playback at 1.5×');
  await qa.$eval('.qa-audio', a => { a.currentTime = 5; });
  await qa.fill('.qa-pin-text input', '这里应先确认客户身份');
  await qa.click('.qa-pin');
  await until(qa, '.qa-pins', t => t.includes('0:05.0') && t.includes('这里应先确认客户身份'), 'the comment pinned at 5.0 s');
  ok('the recording plays at 1.5× and a comment is pinned at its current time');
  // Saved before answering: the server's refusal, every problem listed.
  await answer(qa, 'greet', 1);
  await qa.click('.qa-save');
  const refusal = await until(qa, '.qa-refusal', t => t.includes('notice'), 'the refusal');
  await shot(qa, 'qa-refused');
  ok('a form missing answers shows the server\'s reason: ' + refusal.split('\n')[0]);
  await answer(qa, 'notice', 1);
  await answer(qa, 'listen', 3);
  await qa.fill('.qa-item[data-item=listen] .qa-item-comment input', '打断客户两次');
  await answer(qa, 'solve', 1);
  await answer(qa, 'close', 4);
  assert(await qa.$eval('.qa-item[data-item=notice] .el-radio-button:nth-child(3)', e => e.classList.contains('is-disabled')),
    'partial is not offered on a critical item');
  await qa.fill('.qa-comment textarea', '整体良好');
  await shot(qa, 'qa-score');
  await qa.click('.qa-save');
  await until(qa, '.el-message', t => t.includes('83.33'), 'saved with its score');
  await until(qa, '.qa-samples', t => !t.includes('q1'), 'the call left the waiting list');
  noErrors(qa, 'qa1');
  ok('the inspector scored the sampled call: 83.33');

  // --- the agent
  await until(ag, '.qa-note', t => t.includes('q1') && t.includes('83.33'), 'the agent told of the score');
  await ag.click('.qa-note');
  await ag.waitForFunction(() => location.hash === '#/qa');
  await until(ag, '.qa-mine', t => t.includes('83.33') && t.includes('已评分'), 'the agent\'s evaluation');
  await ag.click('.qa-mine .qa-eval-open');
  await until(ag, '.qa-eval .qa-pins', t => t.includes('0:05.0') && t.includes('这里应先确认客户身份'), 'the pin');
  await ag.waitForFunction(() => { const a = document.querySelector('.qa-eval-audio'); return a && a.readyState >= 1; },
    null, { timeout: patient(20000) });
  await ag.click('.qa-eval .qa-pins .el-link');
  assert(await ag.$eval('.qa-eval-audio', a => a.currentTime >= 5 && a.currentTime < 6), 'the pin plays from 5.0 s');
  // Coaching: played from 3.5 s, the recording stops at the pin (5.0 s).
  await ag.click('.qa-stop-pins');
  await ag.$eval('.qa-eval-audio', a => { a.currentTime = 3.5; return a.play(); });
  await ag.waitForFunction(() => { const a = document.querySelector('.qa-eval-audio'); return a.paused && a.currentTime > 3.6; },
    null, { timeout: patient(15000) });
  const stopped = await ag.$eval('.qa-eval-audio', a => a.currentTime);
  assert(stopped >= 5 && stopped < 5.8, `coaching stops at the pin, not at ${stopped}`);
  await until(ag, '.qa-answers', t => /标准问候语[\s\S]*告知通话录音[\s\S]*耐心倾听\s+部分\s+打断客户两次[\s\S]*结束语\s+不适用/.test(t),
    'the answers in the scorecard\'s order');
  await tabsAre(ag, '.qa-tabs', '我的质检 辅导', "the agent's tabs");
  await ag.click('.qa-appeal-btn');
  await until(ag, '.el-message--error', t => t.includes('reason: required'), 'an appeal without a reason refused');
  await until(ag, '.qa-eval-head', t => t.includes('已评分'), 'nothing changed');
  await ag.fill('.qa-reason textarea', '已按流程确认身份');
  await ag.click('.qa-appeal-btn');
  await until(ag, '.qa-eval-head', t => t.includes('申诉中'), 'appealed');
  await until(ag, '.qa-appeal', t => t.includes('已按流程确认身份'), 'the reason shown');
  assert(!(await ag.$('.qa-appeal-btn')), 'one appeal only');
  await shot(ag, 'qa-appeal');
  noErrors(ag, '1001');
  ok('the agent, told of the score, read the evaluation with its pinned comment (coaching mode stops there) and appealed (without a reason: refused, the server\'s reason shown)');

  // --- the lead, told of the appeal
  await until(sup, '.qa-note', t => t.includes('1001') && t.includes('q1') && t.includes('申诉'), 'the lead told of the appeal');
  await sup.click('.qa-note');
  await sup.waitForFunction(() => location.hash === '#/qa');
  await until(sup, '.qa-appeals', t => t.includes('q1') && t.includes('申诉中'), 'the appeal waits for the lead');
  await tabsAre(sup, '.qa-tabs', '申诉处理 校准 辅导 质检考评报表', "the lead's tabs");
  await sup.click('.qa-appeals .qa-eval-open');
  await until(sup, '.qa-appeal', t => t.includes('已按流程确认身份'), 'the agent\'s reason');
  await sup.click('.qa-outcome .el-radio-button:nth-child(2)');
  await sup.fill('.qa-new-score input', '90');
  await sup.fill('.qa-reason textarea', '复听确认，改为90分');
  await sup.click('.qa-decide');
  await until(sup, '.qa-eval-head', t => t.includes('已改分') && t.includes('90'), 'changed to 90');
  await until(sup, '.qa-history', t => t.includes('评分') && t.includes('申诉') && t.includes('改分'), 'every step');
  await shot(sup, 'qa-decision');
  await until(ag, '.qa-note:has-text("申诉已处理")', t => t.includes('已改分') && t.includes('90'), 'the agent told of the decision');
  await until(ag, '.qa-mine', t => t.includes('已改分') && /\b90\b/.test(t), 'the agent\'s list shows it at once');
  await sup.keyboard.press('Escape');
  ok('the lead, told of the appeal, changed the score to 90; the agent was told and their list shows it');

  await sup.click('#tab-report');
  await until(sup, '.qa-report-table', t => t.includes('1001') && /\b90\b/.test(t) && t.includes('83.33'), 'the report by agent');
  await shot(sup, 'qa-report');
  const [dl] = await Promise.all([sup.waitForEvent('download', { timeout: patient(20000) }), sup.click('.qa-csv')]);
  await dl.saveAs(out);
  assert(readFileSync(out, 'utf8').includes('1001'), 'the CSV');
  const [xl] = await Promise.all([sup.waitForEvent('download', { timeout: patient(20000) }), sup.click('.qa-xlsx')]);
  await xl.saveAs(out + '.xlsx');
  assert(readFileSync(out + '.xlsx').subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])), 'the XLSX is a workbook (ZIP)');
  assert(xl.suggestedFilename() === 'qa-report-agent.xlsx', xl.suggestedFilename());
  ok('the report shows the changed score and downloads as CSV and XLSX');
  await sup.click('.lang-select');
  await sup.click('.el-select-dropdown__item:has-text("English")');
  await until(sup, '.qa-report', t => t.includes('QA score') && t.includes('Download Excel'), 'English');
  await shot(sup, 'qa-report-en');
  noErrors(sup, 'sup');
  writeFileSync(out + '.ok', 'ok');
} finally {
  await b.close();
}
