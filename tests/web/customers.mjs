// The agent at the desk and the supervisor on the customers page
// (customers.sh sets the scene and places the calls).
import { browser, page, signIn, open, shot, until, step, waitGo, ok, assert,
  noErrors, choose } from './common.mjs';

const b = await browser();
try {
  const a = await page(b);
  await signIn(a, '1001', 'secret1001');
  await until(a, '.my-state', t => t === '就绪', '1001 ready');
  step('desk');

  // A known gold customer calls: name, level, tags and last time's notes.
  await until(a, '[data-field=cust-name]', t => t === '张三', 'pop: the customer\'s name', 60);
  await until(a, '.cust-level', t => t === '黄金', 'pop: the level');
  await until(a, '.cust-pop .cust-tags', t => t.includes('大客户'), 'pop: the tags');
  const notes = await a.inputValue('.cust-notes-input textarea');
  assert(notes === '喜欢喝茶', `pop: notes ${notes}`);
  assert(await a.$('.cust-pop a.cust-link[href^="#/customers/"]'), 'pop: a link to the customer');
  assert(await a.$('.cust-pop .pop-slot[data-slot=work-orders]'), 'pop: the work orders\' slot');
  await a.fill('.cust-notes-input textarea', '喜欢喝茶，不加糖');
  await a.click('.btn-notes');
  await until(a, '.el-message--success', t => t.includes('已保存'), 'notes saved');
  await shot(a, 'customers-pop');
  ok('the pop shows the customer and saves the notes');
  step('pop1');

  // A number nobody named: "new customer" and the quick form.
  await until(a, '.cust-new', t => t === '新客户', 'pop: a new customer', 60);
  await a.fill('.cust-quick .quick-name input', '王小明');
  await a.fill('.cust-quick .el-form-item:nth-child(2) input', '小明贸易');
  await a.click('.btn-quick');
  await until(a, '[data-field=cust-name]', t => t === '王小明', 'the new customer named');
  await shot(a, 'customers-pop-new');
  ok('an unknown caller is named from the pop');
  step('pop2');
  noErrors(a, 'agent');

  await waitGo('calls', 90);
  const s = await page(b);
  await signIn(s, 'sup', 'sup123');
  await open(s, 'customers');
  await until(s, '.cust-table', t => t.includes('张三') && t.includes('王小明'), 'the list');
  await s.fill('.cust-q input', '华联');
  await s.press('.cust-q input', 'Enter');
  await until(s, '.cust-table', t => t.includes('张三') && !t.includes('王小明'), 'search by company');
  await s.click('.cust-table .el-table__row:has-text("张三")');
  await until(s, '.cust-drawer .el-drawer__title', t => t === '张三', 'the drawer');
  await s.click('.cust-drawer .el-tabs__item:has-text("联系历史")');
  await until(s, '.cust-history', t => t.includes('13800138000') && t.includes('喜欢喝茶，不加糖'),
    'history: the call and the notes');
  await until(s, '.cust-history .hist-wo', t => t.includes('发票未寄到'), 'history: the work order');
  await until(s, '.cust-history .hist-task', t => t.includes('回访张三'), 'history: the task');
  await shot(s, 'customers-history');
  await s.click('.cust-history .hist-wo');
  await until(s, '.wo-title', t => t === '发票未寄到', 'the history\'s link opens the order');
  assert((await s.evaluate(() => location.hash)) === '#/workorders/' + process.env.WEB_WO, 'the order\'s address');
  await open(s, 'customers');
  await s.click('.cust-table .el-table__row:has-text("张三")');
  await s.click('.cust-drawer .el-tabs__item:has-text("联系历史")');
  await s.click('.cust-history .hist-task');
  await until(s, '.task-table', t => t.includes('回访张三'), 'the history\'s link opens the task');
  const rows = await s.$$('.task-table .el-table__body tr');
  assert(rows.length === 1, `the task alone, not ${rows.length} rows`);
  assert((await s.evaluate(() => location.hash)) === '#/tasks/' + process.env.WEB_TASK, 'the task\'s address');
  await open(s, 'customers');
  await s.fill('.cust-q input', '华联');
  await s.press('.cust-q input', 'Enter');
  await s.click('.cust-table .el-table__row:has-text("张三")');
  await until(s, '.cust-drawer .el-drawer__title', t => t === '张三', 'the drawer again');
  await s.click('.cust-drawer .el-tabs__item:has-text("客户资料")');
  await s.click('.f-black');
  await s.fill('.f-reason input', '多次骚扰');
  await choose(s, '.cust-form [data-field=size]', '大型');
  await s.click('.btn-save');
  await until(s, '.el-message--success', t => t.includes('已保存'), 'saved');
  await until(s, '.cust-table', t => t.includes('黑'), 'blacklist mark in the list');
  await shot(s, 'customers-drawer');
  await s.click('.cust-drawer .el-drawer__close-btn');
  ok('search, drawer, history; blacklisted with a reason and a custom field');

  // Restore the deleted one.
  await s.fill('.cust-q input', '');
  await s.click('.cust-deleted');
  await until(s, '.cust-table', t => t.includes('李四'), 'the deleted customers');
  await s.click('.cust-table .el-table__row:has-text("李四") .btn-restore');
  await until(s, '.el-message--success', t => t.includes('已恢复'), 'restored');
  await s.click('.cust-deleted');
  await until(s, '.cust-table', t => t.includes('李四'), '李四 live again');

  // A new one.
  await s.click('.btn-new');
  await s.fill('.f-name input', '赵六');
  await s.fill('.f-phone input', '136 0013 6000');
  await s.click('.f-tags');
  await s.keyboard.type('新客户');
  await s.keyboard.press('Enter');
  await s.click('.cust-drawer .el-drawer__title');
  await s.click('.btn-save');
  await until(s, '.cust-table', t => t.includes('赵六'), 'the new customer listed');
  await s.click('.cust-drawer .el-drawer__close-btn');
  await shot(s, 'customers-list');
  ok('a deleted customer restored, a new one created');

  // English.
  await s.evaluate(() => { localStorage.setItem('hotline.lang', 'en'); });
  const e = await page(b, 'en');
  await signIn(e, 'sup', 'sup123');
  await open(e, 'customers');
  await until(e, '.cust-table', t => t.includes('Gold') && t.includes('张三'), 'English list');
  await shot(e, 'customers-en');
  noErrors(s, 'supervisor');
  noErrors(e, 'supervisor (en)');
  step('done');
} finally {
  await b.close();
}
