// The to-do list, the personal page's messages and the supervisors' tasks
// page (tasks.sh sets the scene and checks the server afterwards).
import { browser, page, signIn, open, shot, until, step, ok, noErrors, assert } from './common.mjs';

const b = await browser();
try {
  // --- agent 1001 at the desk
  const a = await page(b);
  await signIn(a, '1001', 'secret1001');
  await open(a, 'desk');
  await until(a, '.todo-mine', t => t.includes('回访王女士') && t.includes('回访李先生'), 'my two tasks on the desk');
  const red = await a.$$eval('.todo-mine .task-overdue', rows => rows.map(r => r.innerText));
  assert(red.length === 1 && red[0].includes('回访王女士'), `overdue rows in red: ${JSON.stringify(red)}`);
  await until(a, '.todo-pool', t => t.includes('放弃来电回拨') && t.includes('sales'), 'the sales pool');
  await shot(a, 'tasks-desk');
  ok('desk: my tasks, the overdue one in red, the pool of my queue');

  await a.click('.todo-mine .el-table__row:has-text("回访李先生") .task-done');
  await a.fill('.el-message-box input', '已报价，客户考虑中');
  await a.click('.el-message-box__btns .el-button--primary');
  await until(a, '.todo-mine', t => !t.includes('回访李先生'), 'done task leaves the list');
  await a.click('.todo-pool .task-claim');
  await until(a, '.todo-mine', t => t.includes('放弃来电回拨'), 'claimed task in my list');
  ok('desk: done with an outcome, a pool task claimed');

  // --- the personal page: 待办事宜 and 消息
  await open(a, 'me');
  await until(a, '.me-work .todo', t => t.includes('待办事宜') && t.includes('回访王女士'), 'to-do on 个人中心');
  await until(a, '.inbox', t => t.includes('系统升级通知') && t.includes('座席排班调整'), 'my notices');
  await until(a, '.inbox-unread', t => t === '2', 'two unread');
  await a.click('.notice-item:has-text("座席排班调整")');
  await until(a, '.notice-dialog .notice-body', t => t.includes('早班 8:30'), 'the notice opened');
  await shot(a, 'tasks-me-notice');
  await a.keyboard.press('Escape');
  await until(a, '.inbox-unread', t => t === '1', 'one unread after reading');
  await shot(a, 'tasks-me');
  ok('personal page: 待办事宜 and 消息, read one, one unread left');

  // --- the supervisor's page
  const s = await page(b);
  await signIn(s, 'sup', 'sup123');
  await open(s, 'tasks');
  await until(s, '.task-table', t => t.includes('回访王女士') && t.includes('放弃来电回拨'), 'every open task');
  const sred = await s.$$eval('.task-table .task-overdue', rows => rows.map(r => r.innerText));
  assert(sred.length === 1 && sred[0].includes('已超期'), `supervisor's overdue rows: ${JSON.stringify(sred)}`);
  await shot(s, 'tasks-list');
  await s.click('.el-tabs__item:has-text("完成统计")');
  await until(s, '.stats-table', t => t.includes('1001') || t.includes('Agent'), 'statistics rows');
  await until(s, '.stats-total', t => t.includes('合计 3 个任务') && t.includes('100.0%') && t.includes('超期未办 1 个'),
    'totals: 3 tasks, the one done on time, one overdue');
  await shot(s, 'tasks-stats');
  ok('tasks page: all tasks with the overdue one in red; completion statistics');

  await s.click('.el-tabs__item:has-text("公告管理")');
  await until(s, '.notice-table', t => t.includes('系统升级通知'), 'notices listed');
  await s.click('.btn-notice-new');
  await s.fill('.notice-title-in input', '质检抽查提醒');
  await s.fill('.notice-body-in textarea', '本周质检抽查录音，请规范服务用语。');
  await s.click('.notice-roles');
  await s.click('.el-select-dropdown:visible .el-select-dropdown__item:has-text("坐席")');
  await s.keyboard.press('Escape');
  await s.click('.btn-notice-save');
  await until(s, '.notice-table', t => t.includes('质检抽查提醒'), 'published');
  await s.click('.notice-table .el-table__row:has-text("座席排班调整") .btn-receipts');
  await until(s, '.receipts-dialog .receipt-count', t => t.includes('已读 1'), 'receipts: 1001 read it');
  await shot(s, 'tasks-receipts');
  ok('notices: published to agents; receipts show 1001 read');

  // notice.published reached 1001's open page without a reload.
  await until(a, '.inbox', t => t.includes('质检抽查提醒'), 'the new notice arrived live', 30);
  await until(a, '.inbox-unread', t => t === '2', 'two unread again');
  ok('the new notice reached the agent live');

  // --- English at 1366×768
  const e = await page(b, 'en');
  await signIn(e, 'sup', 'sup123');
  await open(e, 'tasks');
  await until(e, '.task-table', t => t.includes('Overdue'), 'English task list');
  await shot(e, 'tasks-list-en');
  await e.click('.el-tabs__item:has-text("Abandoned callbacks")');
  await until(e, '.tasks-page', t => t.includes('All queues (overall)'), 'the switch');
  await shot(e, 'tasks-rules-en');
  ok('English pages');
  noErrors(a, '1001');
  noErrors(s, 'sup');
  noErrors(e, 'sup (en)');
  step('done');
} finally {
  await b.close();
}
