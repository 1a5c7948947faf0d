// The supervisor merges duplicate customers and works a work order's
// attachments (dupmerge.sh sets the scene and checks the API).
import { readFileSync } from 'fs';
import { browser, page, signIn, open, shot, until, step, waitGo, ok, assert,
  noErrors } from './common.mjs';

const [keep, other, pdf, notes] = process.argv.slice(2);
const b = await browser();
try {
  const s = await page(b);
  await signIn(s, 'sup', 'sup123');
  await open(s, 'customers');
  await s.click('.cust-view .view-dups');
  const group = '.dup-group[data-name="王五"]';
  await until(s, group, t => t.includes('2 条记录') && t.includes('13900001111') && t.includes('要发票') &&
    t.includes('01065120001'), 'the group of 王五 with both records');
  await until(s, `${group} .dup-col[data-id="${keep}"] .dup-counts`,
    t => t === '通话 2 · 工单 0 · 任务 0', 'the kept one\'s counts');
  await until(s, `${group} .dup-col[data-id="${other}"] .dup-counts`,
    t => t === '通话 0 · 工单 1 · 任务 1', 'the other one\'s counts');
  assert(!(await s.$('.dup-group[data-name="赵六"]')), 'a lone customer is no duplicate');
  assert(await s.$eval(`${group} .btn-merge`, e => e.disabled), 'merge waits for a choice');
  await shot(s, 'customers-duplicates');
  await s.click(`${group} .dup-col[data-id="${keep}"]`);
  await until(s, `${group} .dup-col.kept`, t => t.includes('五洲贸易'), 'the chosen record marked');
  await s.click(`${group} .btn-merge`);
  await until(s, '.el-message-box', t => t.includes('保留「王五」') && t.includes('1 条记录'), 'the confirmation');
  await shot(s, 'customers-merge-confirm');
  await s.click('.el-message-box__btns .el-button--primary');
  await until(s, '.el-message--success', t => t.includes('已将 1 条记录合并到「王五」'), 'merged');
  await until(s, '.dup-none', t => t.includes('没有重复客户'), 'no duplicates left');
  await until(s, '.cust-drawer .el-drawer__title', t => t === '王五', 'the kept customer opened');
  const phones = await s.$$eval('.cust-drawer .f-phone input', els => els.map(e => e.value));
  assert(phones.join() === '13900001111,01065120001', `the kept one's numbers: ${phones}`);
  await shot(s, 'customers-merged');
  await s.click('.cust-drawer .el-drawer__close-btn');
  ok('duplicates side by side with counts; the kept one chosen, confirmed and merged');
  step('merged');
  await waitGo('check');

  await open(s, 'workorders');
  await s.click('.wo-tabs .el-tabs__item:has-text("按状态")');
  await until(s, '.wo-table', t => t.includes('发票抬头错误'), 'the order listed');
  await s.click('.wo-table .el-table__row:has-text("发票抬头错误")');
  await until(s, '.wo-attach', t => t.includes('暂无附件') && t.includes('（0/20，单个不超过 10 MB）'), 'no attachments yet');
  await until(s, '.wo-history', t => /合并了客户\s*（王五 → 王五）/.test(t), 'the merge in the history');
  await s.setInputFiles('.att-input', pdf);
  await until(s, '.wo-attach', t => t.includes('报价单.pdf') && t.includes('1/20'), 'the file listed');
  await until(s, '.wo-history', t => /上传了附件\s*「报价单\.pdf」/.test(t), 'the upload in the history');
  const [dl] = await Promise.all([s.waitForEvent('download'),
    s.click('.att-row[data-name="报价单.pdf"] .att-name')]);
  assert(dl.suggestedFilename() === '报价单.pdf', `download name ${dl.suggestedFilename()}`);
  const got = readFileSync(await dl.path());
  assert(Buffer.compare(got, readFileSync(pdf)) === 0, 'the download is the file uploaded');
  await s.setInputFiles('.att-input', notes);
  await until(s, '.wo-attach', t => t.includes('notes.txt') && t.includes('2/20'), 'a second file');
  await shot(s, 'workorder-attachments');
  await s.click('.att-row[data-name="notes.txt"] .btn-att-remove');
  await until(s, '.el-message-box', t => t.includes('notes.txt'), 'remove asks first');
  await s.click('.el-message-box__btns .el-button--primary');
  await until(s, '.wo-attach', t => !t.includes('notes.txt') && t.includes('1/20'), 'removed');
  await until(s, '.wo-history', t => /删除了附件\s*「notes\.txt」/.test(t), 'the removal in the history');
  await shot(s, 'workorder-attachments-removed');
  ok('attachments: uploaded, downloaded back byte for byte, a second removed');

  const q = await page(b);
  await signIn(q, 'bo1', 'pw-bo1-123');
  await open(q, 'workorders');
  await until(q, '.wo-table', t => t.includes('发票抬头错误'), "售后部's inbox has it");
  await q.click('.wo-table .el-table__row:has-text("发票抬头错误")');
  await until(q, '.wo-attach', t => t.includes('报价单.pdf') && t.includes('1/20'), 'bo1 sees the file');
  assert(!(await q.$('.att-row[data-name="报价单.pdf"] .btn-att-remove')), 'bo1 may not remove sup\'s file');
  assert(await q.$('.wo-attach .btn-attach'), 'bo1 may attach files');
  const [dl2] = await Promise.all([q.waitForEvent('download'),
    q.click('.att-row[data-name="报价单.pdf"] .att-name')]);
  assert(Buffer.compare(readFileSync(await dl2.path()), readFileSync(pdf)) === 0, 'bo1 downloads it');
  await shot(q, 'workorder-attachments-backoffice');
  noErrors(q, 'bo1');
  ok('the handling department\'s back office reads and downloads, removes nothing of others');

  const e = await page(b, 'en');
  await signIn(e, 'sup', 'sup123');
  await open(e, 'workorders');
  await e.click('.wo-tabs .el-tabs__item:has-text("By state")');
  await e.click('.wo-table .el-table__row:has-text("发票抬头错误")');
  await until(e, '.wo-attach', t => t.includes('Attachments') && t.includes('报价单.pdf'), 'English');
  await shot(e, 'workorder-attachments-en');
  await open(e, 'customers');
  await e.click('.cust-view .view-dups');
  await until(e, '.cust-dups', t => t.includes('No duplicate customers'), 'English duplicates view');
  noErrors(s, 'supervisor');
  noErrors(e, 'supervisor (en)');
  step('attached');
} finally {
  await b.close();
}
