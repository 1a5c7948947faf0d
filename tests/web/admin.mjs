// The administrator at the console (admin.sh sets the scene and calls).
import { browser, page, signIn, open, shot, until, step, waitGo, ok, noErrors, choose } from './common.mjs';

const b = await browser();
try {
  const p = await page(b);
  await signIn(p, 'admin', 'admin123');
  await open(p, 'queues');

  // A queue: first a name the server refuses, then vip.
  await p.click('.btn-new-queue');
  await p.fill('input[name=queue-name]', 'bad name!');
  await p.click('.btn-save-queue');
  await until(p, '.el-dialog:visible .form-error', t => t.length > 3, 'queue refusal shown');
  await p.fill('input[name=queue-name]', 'vip');
  await choose(p, '.el-dialog:visible .el-select', 'ring-all');
  await p.click('.btn-save-queue');
  await until(p, '.queue-config', t => t.includes('vip') && t.includes('ring-all'), 'queue vip listed');

  // An agent: a bad extension refused with the server's reason, then 2001.
  await p.click('.btn-new-agent');
  await p.fill('input[name=agent-ext]', 'abc');
  await p.fill('input[name=agent-password]', 'secret2001x');
  await choose(p, '.el-dialog:visible .agent-queues', 'vip');
  await p.keyboard.press('Escape');
  await p.click('.btn-save-agent');
  await until(p, '.el-dialog:visible .form-error', t => t.includes('ext'), 'agent refusal names the field');
  await shot(p, 'admin-refused');
  await p.fill('input[name=agent-ext]', '2001');
  await p.click('.btn-save-agent');
  await until(p, '.agent-config', t => t.includes('2001') && t.includes('vip'), 'agent 2001 in vip');

  // The number callers dial.
  await p.click('.btn-new-did');
  await p.fill('input[name=did]', '4008009000');
  await p.fill('input[name=did-target]', 'vip');
  await p.click('.btn-save-did');
  await until(p, '.did-table', t => t.includes('4008009000') && t.includes('vip'), 'number listed');
  await shot(p, 'admin-queues');

  // A web user for the agent: a short password refused, then a good one.
  await open(p, 'users');
  await p.click('.el-card__header .el-button--primary');
  await p.fill('input[name=new-username]', 'li');
  await p.fill('input[name=new-password]', 'short');
  await choose(p, '.el-dialog:visible .el-form-item:has-text("分机") .el-select', '2001');
  await p.click('.btn-save');
  await until(p, '.el-dialog:visible .form-error', t => t.includes('password'), 'short password refused');
  await p.fill('input[name=new-password]', 'password2001');
  await p.click('.el-dialog:visible .el-switch');           // numbers masked
  await p.click('.btn-save');
  await until(p, '.user-table', t => t.includes('li') && t.includes('2001') &&
    t.includes('仅本人（普通级）') && t.includes('✓'), 'user li listed, own scope, masked');
  await shot(p, 'admin-users');
  ok('queue, agent, number and user made in the console; refusals shown with their reasons');

  // The audit log shows what was just done, by whom, and exports as CSV.
  await open(p, 'audit');
  await until(p, '.audit-table', t => t.includes('POST /api/v1/users') &&
    t.includes('新建 · 用户') && t.includes('登录') &&
    t.includes('admin') && t.includes('127.0.0.1') && t.includes('成功'),
    'the user created in the audit log');
  await shot(p, 'admin-audit');
  const [dl] = await Promise.all([p.waitForEvent('download'), p.click('.btn-export')]);
  if (dl.suggestedFilename() !== 'audit.csv') throw new Error('export: ' + dl.suggestedFilename());
  ok('the audit log lists the changes with who, from where and the outcome; CSV export');

  // An IVR flow with a mistake: the server's problems are listed with the
  // line each concerns, the graph marks the node, and nothing is stored.
  await open(p, 'ivr');
  await until(p, '.flow-json textarea', () => true, 'flow editor');
  await p.waitForFunction(() => document.querySelector('.flow-json textarea').value.includes('"sales_data"'));
  const json = await p.$eval('.flow-json textarea', el => el.value);
  const broken = json.replace('"1": "sales_data"', '"1": "nowhere"');
  await p.fill('.flow-json textarea', broken);
  await p.click('.btn-save-flow');
  const line = broken.split('\n').findIndex(l => l.includes('"nowhere"')) + 1;
  await until(p, '.problems', t => t.includes('nodes.menu.keys.1') && t.includes('nowhere') &&
    t.includes(`第 ${line} 行`), 'the problem beside its line');
  await shot(p, 'admin-ivr-problem');
  await p.click('[data-flow=main]');
  await until(p, '[data-flow=main]', t => t.includes('v1'), 'main still at version 1');
  ok(`the IVR flow's problem shown at line ${line}; nothing stored`);
  step('configured');

  await waitGo('called');
  noErrors(p, 'admin');
} finally {
  await b.close();
}
