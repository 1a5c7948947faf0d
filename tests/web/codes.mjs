// The administrator keeps the reasons and wrap-up codes (codes.sh sets the
// scene and checks the server afterwards).
import { browser, page, signIn, open, shot, until, step, ok, noErrors, choose } from './common.mjs';

const b = await browser();
try {
  const p = await page(b);
  await signIn(p, 'admin', 'admin123');
  await open(p, 'codes');
  await until(p, '.table-reasons', t => t.includes('休息') && t.includes('就餐'), 'the seeded reasons');
  await until(p, '.table-codes', t => t.includes('咨询') && t.includes('全部队列'), 'the seeded wrap-up codes');

  // A reason whose code is taken: the server's 409 reason shown, then a new one.
  await p.click('.btn-new-reasons');
  await p.fill('.code-form input[name=code]', 'break');
  await p.fill('.code-form input[name=label_zh]', '小休');
  await p.fill('.code-form input[name=label_en]', 'Short break');
  await p.click('.btn-save-code');
  await until(p, '.el-dialog:visible .form-error', t => t.includes('exists'), 'duplicate code refused');
  await p.fill('.code-form input[name=code]', 'coaching');
  await p.fill('.code-form input[name=label_zh]', '辅导');
  await p.fill('.code-form input[name=label_en]', 'Coaching');
  await p.click('.btn-save-code');
  await until(p, '.table-reasons', t => t.includes('coaching') && t.includes('辅导'), 'reason coaching listed');

  // A wrap-up code for one queue.
  await p.click('.btn-new-codes');
  await p.fill('.code-form input[name=code]', 'refund');
  await p.fill('.code-form input[name=label_zh]', '退款');
  await p.fill('.code-form input[name=label_en]', 'Refund');
  await choose(p, '.el-dialog:visible .code-queue', 'support');
  await p.click('.btn-save-code');
  await until(p, '.table-codes', t => t.includes('refund') && t.includes('退款'), 'code refund listed');
  await shot(p, 'codes');
  ok('reasons and wrap-up codes kept in the console; a taken code refused with the reason');

  // The queue setting: support requires a wrap-up code.
  await open(p, 'queues');
  await until(p, '.queue-config', t => t.includes('support'), 'queues listed');
  await p.click('.queue-config .el-table__row:has-text("support") .el-button');
  await p.click('.el-dialog:visible .wrapup-required');
  await p.click('.btn-save-queue');
  await until(p, '.queue-config', t => t.includes('必填小结'), 'support marked as requiring a code');
  await shot(p, 'codes-queue');
  ok('support requires a wrap-up code');
  step('done');
  noErrors(p, 'admin');
} finally {
  await b.close();
}
