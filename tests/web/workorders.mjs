// The agent writes a work order from the screen pop; back-office bo1
// handles it on the work-order page (workorders.sh sets the scene).
import { browser, page, signIn, open, shot, until, step, waitGo, ok, assert,
  noErrors, choose } from './common.mjs';

const b = await browser();
try {
  const p = await page(b);
  await signIn(p, '1001', 'secret1001');
  await until(p, '.my-state', t => t === '就绪', '1001 ready once its phone registered');
  step('ready');

  await until(p, '[data-field=caller]', t => t === '13800138000', 'screen pop: caller', 60);
  await p.click('.btn-pop-new-wo');
  await p.waitForSelector('.wo-form input[name=customer_phone]');
  await p.waitForTimeout(300);
  assert(await p.inputValue('.wo-form input[name=customer_phone]') === '13800138000',
    'the form has the caller');
  assert((await p.inputValue('.wo-form input[name=call_id]')).length > 0, 'the form has the call');
  await p.fill('.wo-form input[name=title]', '退款七天未到账');
  await choose(p, '.wo-form .wo-category', '投诉');
  await choose(p, '.wo-form .wo-service', '商城售后');
  await p.click('.wo-priority label:has-text("高")');
  await p.fill('.wo-form textarea[name=description]', '客户来电称退款七天仍未到账，要求尽快处理');
  await shot(p, 'workorders-create');
  await p.click('.btn-create-wo');
  await until(p, '.pop-orders', t => t.includes('退款七天未到账'), 'the pop lists the new order');
  await p.click('.pop-order:has-text("退款七天未到账")');
  await p.waitForFunction(() => location.hash.startsWith('#/workorders/'));
  await until(p, '.wo-detail', t => t.includes('退款七天未到账') && t.includes('售后部'), 'the new order shown');
  await until(p, '.wo-cur-state', t => t === '待处理', 'routed: 待处理');
  await shot(p, 'workorders-created');
  ok('a work order written from the screen pop, with the call and the caller');
  step('created');
  await waitGo('check');

  const q = await page(b);
  await signIn(q, 'bo1', 'pw-bo1-123');
  await open(q, 'workorders');
  await until(q, '.wo-table', t => t.includes('退款七天未到账'), "售后部's inbox has it");
  await q.click('.wo-table .el-table__row:has-text("退款七天未到账")');
  await until(q, '.wo-detail', t => t.includes('13800138000'), 'the detail opened');
  await q.click('.btn-claim');
  await until(q, '.wo-cur-state', t => t === '处理中', 'claimed: 处理中');
  await q.click('.btn-move-waiting_customer');
  await q.fill('.el-message-box input', '等客户提供订单号');
  await q.click('.el-message-box__btns .el-button--primary');
  await until(q, '.wo-cur-state', t => t === '等待客户', 'waiting for the customer');
  await until(q, '.wo-clock[data-clock=completion]', t => t.includes('已暂停') || t.includes('正常'), 'completion clock');
  await q.click('.btn-move-in_progress');
  await until(q, '.wo-cur-state', t => t === '处理中', 'back in work');
  await q.click('.btn-move-done');
  await until(q, '.wo-cur-state', t => t === '处理完成', 'done');
  await until(q, '.wo-history', t => t.includes('等客户提供订单号') && t.includes('领取了工单'), 'the history');
  await shot(q, 'workorders-handled');
  ok('bo1 claimed, waited for the customer, finished; the history shows each step');
  step('handled');

  const e = await page(b, 'en');
  await signIn(e, 'admin', 'admin123');
  await open(e, 'workorders');
  await e.click('.wo-tabs .el-tabs__item:has-text("By state")');
  await until(e, '.wo-table', t => t.includes('退款七天未到账'), 'the admin sees it by state');
  await e.click('.wo-table .el-table__row:has-text("退款七天未到账")');
  await until(e, '.wo-detail', t => t.includes('History') && t.includes('done'), 'English detail');
  await shot(e, 'workorders-en');
  ok('the page in English');
  noErrors(p, '1001');
  noErrors(q, 'bo1');
  noErrors(e, 'admin');
} finally {
  await b.close();
}
