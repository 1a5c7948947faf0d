// The people of records_e2e.sh at their consoles: agent 1001 (the pop, a
// work order written on the call, later the reply task), back-office bo1
// (售后部: claims and forwards to 技术部, picked from the list), supervisor
// techlead (技术部's lead: told of the breach, finds the order overdue)
// and tech1 (技术部: finishes it).
import { browser, page, signIn, open, shot, until, step, waitGo, ok, assert,
  noErrors, choose, patient } from './common.mjs';

const TITLE = '退款七天未到账';
const b = await browser();
try {
  const p = await page(b);
  await signIn(p, '1001', 'secret1001');
  await until(p, '.my-state', t => t === '就绪', '1001 ready once its phone registered');
  // The lead's console is open before anything is late: told as it happens.
  const s = await page(b);
  await signIn(s, 'techlead', 'pw-techlead-123');
  step('ready');

  // ---- the pop
  await until(p, '[data-field=caller]', t => t === '13800138000', 'screen pop: caller', 90);
  const popped = Date.now();   // the caller hangs up 60 s after dialling
  await until(p, '.cust-name', t => t === '王芳', 'the customer');
  await until(p, '.cust-level', t => t === 'VIP', 'her level');
  assert(await p.inputValue('.cust-notes-input textarea') === '上次反映物流太慢', 'her notes');
  await until(p, '.pop-orders', t => t.includes('建议增加夜间客服') && t.includes('待处理'), 'her open order');
  await until(p, '.pop-order .pop-due-over', t => t.includes('已超时') && t.includes('首次响应'),
    'its first response late, in red');
  const red = await p.$eval('.pop-order .pop-due-over', e => getComputedStyle(e).color);
  assert(red === 'rgb(245, 108, 108)', 'the late deadline is red: ' + red);
  await until(p, '.pop-kb', t => t.includes('退款到账时间说明') && t.includes('原路退回'),
    'the article for ivr:sales, with its start');
  await until(p, '.pop-kb .pop-ivr', t => t === '按来电选择：销售咨询 (sales)',
    'the choice by the menu option\'s words the flow wrote (ivr.业务)');
  await shot(p, 'records-pop');
  step('popped');
  await p.click('.pop-article:has-text("退款到账时间说明")');
  await until(p, '.pop-article-dialog', t => t.includes('1-3 个工作日') && !t.includes('**'),
    'the article read in place, Markdown rendered');
  await shot(p, 'records-pop-article');
  await p.keyboard.press('Escape');
  await p.waitForSelector('.pop-article-dialog', { state: 'hidden' });
  ok('the pop: 王芳 (VIP, notes), her open order late in red, the article for her IVR choice');
  const e = await page(b, 'en');
  await signIn(e, '1001', 'secret1001');
  await until(e, '.pop-orders', t => t.includes('Open work orders') && t.includes('Overdue') &&
    t.includes('response'), 'the pop in English', 30);
  await until(e, '.pop-kb', t => t.includes('Suggested articles') && t.includes('sales'), 'suggestions in English');
  await shot(e, 'records-pop-en');
  noErrors(e, '1001 (en)');
  await e.context().close();
  ok('the pop in English');

  // ---- a work order from the pop
  await p.click('.btn-pop-new-wo');
  await p.waitForSelector('.wo-form input[name=customer_phone]');
  await p.waitForTimeout(300);
  assert(await p.inputValue('.wo-form input[name=customer_phone]') === '13800138000', 'the form has the caller');
  const callId = await p.inputValue('.wo-form input[name=call_id]');
  assert(callId.length > 0, 'the form has the call');
  assert(await p.$eval('.wo-form .wo-reply', e => e.classList.contains('is-checked')), '需答复客户 is on');
  await p.fill('.wo-form input[name=title]', TITLE);
  await choose(p, '.wo-form .wo-category', '投诉');
  await choose(p, '.wo-form .wo-service', '商城售后');
  await p.click('.wo-priority label:has-text("高")');
  await p.fill('.wo-form textarea[name=description]', '客户称退款七天仍未到账，已按知识库说明核对，需售后跟进');
  await shot(p, 'records-pop-form');
  await p.click('.btn-create-wo');
  await until(p, '.pop-orders', t => t.includes(TITLE) && t.includes('建议增加夜间客服'), 'the pop lists the new order');
  await until(p, '.pop-count', t => t === '2', 'two open orders');
  await shot(p, 'records-pop-created');
  ok(`a work order written from the pop on the call; the pop lists it (${Math.round((Date.now() - popped) / 1000)} s into the call)`);
  step('created');
  await waitGo('check');

  // ---- 售后部: bo1 receives it and forwards it to 技术部
  const q = await page(b);
  await signIn(q, 'bo1', 'pw-bo1-123');
  await open(q, 'workorders');
  await until(q, '.wo-table', t => t.includes(TITLE), "售后部's inbox has it");
  await q.click(`.wo-table .el-table__row:has-text("${TITLE}")`);
  await until(q, '.wo-detail', t => t.includes('13800138000'), 'the detail opened');
  await q.click('.btn-claim');
  await until(q, '.wo-cur-state', t => t === '处理中', 'claimed: 处理中');
  await q.click('.btn-forward');
  await choose(q, '.wo-act-form .wo-dept', '技术部');
  await q.fill('.wo-act-form input[name=reason]', '需技术部核查支付通道');
  await q.click('.btn-act-ok');
  await until(q, '.wo-detail', t => t.includes('技术部') && t.includes('需技术部核查支付通道'), 'forwarded to 技术部');
  await until(q, '.wo-cur-state', t => t === '待处理', 'pending in 技术部');
  await shot(q, 'records-forwarded');
  ok('bo1 took it from 售后部\'s inbox and forwarded it to 技术部 with a reason');
  step('forwarded');
  await waitGo('breached');

  // ---- techlead: told of the breach, finds it overdue
  await s.waitForSelector('.wo-note:has-text("工单已超时")', { timeout: patient(20000) });
  await shot(s, 'records-breach-note');
  await s.click('.wo-note:has-text("工单已超时")');
  await s.waitForFunction(() => location.hash.startsWith('#/workorders/'));
  await until(s, '.wo-clock[data-clock=completion]', t => t.includes('已超时'), 'the completion clock, opened from the notice');
  await s.click('.wo-tabs .el-tabs__item:has-text("已超时")');
  await until(s, '.wo-table', t => t.includes(TITLE), 'under 已超时');
  await shot(s, 'records-overdue');
  ok('techlead: told of the breach, the order under 已超时, its completion 已超时');
  step('overdue');

  // ---- 技术部: tech1 finishes it; the customer must be answered
  const r = await page(b);
  await signIn(r, 'tech1', 'pw-tech1-123');
  await open(r, 'workorders');
  await until(r, '.wo-table', t => t.includes(TITLE), "技术部's inbox has it");
  await r.click(`.wo-table .el-table__row:has-text("${TITLE}")`);
  await until(r, '.wo-detail', t => t.includes(TITLE), 'the detail opened');
  await r.click('.btn-claim');
  await until(r, '.wo-cur-state', t => t === '处理中', 'tech1 claimed it');
  await r.click('.btn-move-done');
  await until(r, '.wo-cur-state', t => t === '处理完成', 'done');
  await shot(r, 'records-done');
  ok('tech1 of 技术部 claimed and finished it');

  // ---- the agent's reply task
  await until(p, '.todo-mine', t => t.includes(TITLE) && t.includes('13800138000'), 'the reply task on the desk', 30);
  await until(p, `.pop-order:has-text("${TITLE}")`, t => t.includes('处理完成') && t.includes('待答复客户'),
    'the pop follows the order: done, the customer to be answered');
  await shot(p, 'records-reply-task');
  ok('1001 has the reply task on the desk');
  step('replied');
  noErrors(p, '1001');
  noErrors(q, 'bo1');
  noErrors(s, 'techlead');
  noErrors(r, 'tech1');
} finally {
  await b.close();
}
