// The person at the agent desktop (desk.sh sets the scene).
import { readFileSync } from 'fs';
import { dirname } from 'path';
import { browser, page, signIn, open, shot, until, step, waitGo, ok, assert,
  noErrors, patient } from './common.mjs';

const b = await browser();
try {
  const p = await page(b);
  await signIn(p, '1001', 'secret1001');
  await until(p, '.my-state', t => t === '就绪', '1001 ready once its phone registered');
  await shot(p, 'desk-ready');

  await p.click('.state-bar .el-dropdown .el-button');
  await p.click('.reason-menu .el-dropdown-menu__item:has-text("就餐")');
  await until(p, '.my-state', t => t.includes('示忙') && t.includes('就餐'),
    'not ready with the reason chosen (the administrator\'s list)');
  await p.click('.btn-ready');
  await until(p, '.my-state', t => t === '就绪', 'ready again');
  step('ready');

  await until(p, '[data-field=caller]', t => t === '13800138000', 'screen pop: caller', 45);
  await until(p, '.call-state', t => t === '通话中', 'the call answered');
  await until(p, '[data-field=region]', t => t.includes('北京'), 'screen pop: region');
  await until(p, '[data-field=queue]', t => t === 'sales', 'screen pop: queue');
  await until(p, '.call-data', t => t.includes('销售咨询') && t.includes('menu'),
    'screen pop: the IVR call data');
  await shot(p, 'desk-pop');
  ok('screen pop complete');
  step('popped');
  await waitGo('transfer');

  await p.click('.btn-transfer');
  await p.fill('.el-message-box input', '1002');
  await p.click('.el-message-box__btns .el-button--primary');
  await until(p, '.pop .idle', t => t.length > 0, 'the pop cleared once 1002 took the call');
  await shot(p, 'desk-transferred');
  step('transferred');

  // After-call work: the wrap-up panel counts down; 1001 files 咨询 with a note.
  await until(p, '.wrap-panel', t => t.includes('话后小结'), 'the wrap-up panel after the transfer');
  await p.click('.wrap-code');
  await p.click('.el-select-dropdown__item:has-text("咨询")');
  await p.fill('.wrap-notes textarea', '客户咨询报价，已转销售 1002');
  await shot(p, 'desk-wrapup');
  await p.click('.btn-wrap');
  await p.waitForSelector('.wrap-panel', { state: 'detached', timeout: patient(15000) });
  ok('1001 filed the wrap-up code 咨询 with a note');
  step('wrapped');

  await waitGo('checked');
  const id = readFileSync(dirname(process.env.STEPS) + '/call_id', 'utf8').trim();

  // Another agent: not their call, not their recording.
  const p3 = await page(b);
  await signIn(p3, '1003', 'secret1003');
  const status = await p3.evaluate(async id => {
    const s = JSON.parse(sessionStorage.getItem('hotline.session'));
    const r = await fetch(`/api/v1/calls/${id}/recording?token=${s.token}`);
    return r.status;
  }, id);
  assert(status === 403, `1003 opened 1001's recording: ${status}`);
  p3.errors = [];   // the refusal just asked for is the one error allowed
  await open(p3, 'calls');
  await until(p3, '.call-table', t => !t.includes('13800138000') && t.includes('没有符合条件的通话'),
    "1003's call list");
  ok(`1003 cannot open 1001's recording (${status}) nor list the call`);

  // 1001 plays it: the browser's player fetches it with Range requests.
  await open(p, 'calls');
  await until(p, '.call-table', t => t.includes('13800138000'), "1001's call list");
  await p.click('.call-table .el-button:has-text("播放")');
  await p.waitForFunction(() => {
    const a = document.querySelector('.player audio');
    return a && a.readyState >= 1 && a.duration > 1;
  }, null, { timeout: patient(15000) });
  await shot(p, 'calls-play');
  ok('1001 plays the recording in the browser');

  // 个人中心: a mistyped repeat is caught in the page, a wrong current
  // password by the server; a good change signs the agent out, and the
  // new password signs in.
  await open(p, 'me');
  await p.fill('input[name=current]', 'secret1001');
  await p.fill('input[name=new]', 'new-secret-1001');
  await p.fill('input[name=again]', 'new-secret-1002');
  await p.click('.btn-password');
  await until(p, '.me .form-error', t => t.includes('不一致'), 'mismatch caught');
  await p.fill('input[name=current]', 'not-it');
  await p.fill('input[name=again]', 'new-secret-1001');
  await p.click('.btn-password');
  await until(p, '.me .form-error', t => t.includes('current'), "the server's refusal shown");
  await p.fill('input[name=current]', 'secret1001');
  await p.click('.btn-password');
  await p.waitForSelector('.login-card', { timeout: patient(15000) });
  await signIn(p, '1001', 'new-secret-1001');
  ok('1001 changed their password in 个人中心 and signed in with it');
  noErrors(p, '1001');
  noErrors(p3, '1003');
} finally {
  await b.close();
}
