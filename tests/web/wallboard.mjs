// The supervisor at the wallboard (wallboard.sh sets the scene).
import { browser, page, signIn, shot, until, step, ok, noErrors, patient } from './common.mjs';

const b = await browser();
try {
  const p = await page(b);
  await signIn(p, 'sup', 'sup123');
  // A supervisor lands on the wallboard.
  await until(p, '.page-title', t => t === '监控大屏', 'landing page');
  await until(p, '[data-queue-waiting=support]', t => t === '0', 'support empty');
  await until(p, '[data-agent-state="1006"]', t => t === '签出', '1006 signed out');
  step('board');

  await until(p, '[data-queue-waiting=support]', t => t === '1', 'support waiting', 30);
  await until(p, '[data-tile=waiting]', t => t === '1', 'the waiting tile');
  await shot(p, 'wallboard-waiting');
  step('waiting');

  await until(p, '[data-agent-state="1006"]', t => t === '通话中', '1006 talking', 30);
  await until(p, '.agent-table', t => t.includes('13800138000'), "1006's current call");
  await until(p, '[data-queue-waiting=support]', t => t === '0', 'support empty again');
  // The day's chart drew the call in: an offered bar of height 1.
  await p.waitForFunction(() => {
    const c = window.echartsInstances && window.echartsInstances.wallboard;
    const o = c && c.getOption();
    return o && o.series[0].data.some(v => v >= 1);
  }, null, { timeout: patient(20000) });
  await shot(p, 'wallboard-talking');

  await p.click('.lang-select');
  await p.click('.el-select-dropdown__item:has-text("English")');
  await until(p, '.page-title', t => t === 'Wallboard', 'English title');
  await until(p, '[data-agent-state="1006"]', t => t === 'Talking', 'English state');
  await shot(p, 'wallboard-en');
  ok('the wallboard reads in English too');

  await p.click('.btn-wall');
  await p.waitForSelector('.shell.wall');
  await until(p, '.shell', t => !t.includes('Sign out'), 'wall screen without menu and header');
  await shot(p, 'wallboard-wall');
  ok('the wall screen shows the board alone');
  step('talking');
  noErrors(p, 'sup');
} finally {
  await b.close();
}
