// The knowledge base at the console (kb.sh sets the scene and checks the
// server afterwards): a supervisor writes, an agent searches and reads.
import { browser, page, signIn, open, shot, until, step, ok, assert, noErrors } from './common.mjs';

const b = await browser();
try {
  // --- a supervisor writes an article
  const s = await page(b);
  await signIn(s, 'sup', 'sup123');
  await open(s, 'kb');
  await until(s, '.kb-cats', t => t.includes('业务办理') && t.includes('售后服务'), 'the category tree');
  await until(s, '.kb-list', t => t.includes('退款内部审批') && t.includes('草稿'), 'an editor sees the draft');
  await s.click('.btn-new-article');
  await s.fill('.kb-f-title input', '宽带故障报修');
  await s.fill('.kb-f-body textarea', '# 报修步骤\n请先**重启光猫**，再拨打10000报修。\n\n<script>window.pwned=1</script>');
  for (const tag of ['宽带', '报修']) {
    await s.click('.kb-f-tags');
    await s.keyboard.type(tag);
    await s.keyboard.press('Enter');
  }
  await s.click('.kb-f-status label:has-text("已发布")');
  await until(s, '.kb-preview', t => t.includes('重启光猫'), 'the live preview');
  await shot(s, 'kb-editor');
  await s.click('.btn-save');
  await until(s, '.kb-reader', t => t.includes('宽带故障报修') && t.includes('v1'), 'the saved article');
  assert(await s.$('.kb-body h1') && await s.$('.kb-body strong'), 'Markdown rendered');
  assert(!(await s.$('.kb-body script')), 'no script element from an article');
  await until(s, '.kb-body', t => t.includes('<script>window.pwned=1</script>'), 'the script shown as text');
  assert(!(await s.evaluate(() => window.pwned)), 'the article ran a script');
  ok('a supervisor writes a published article; Markdown rendered, its HTML shown as text');

  await s.click('.btn-edit');
  await s.fill('.kb-f-body textarea', '# 报修步骤\n请先**重启光猫**，仍不通再报修。');
  await s.click('.btn-save');
  await until(s, '.kb-reader', t => t.includes('v2') && t.includes('仍不通'), 'version 2');
  await s.click('.btn-versions');
  await until(s, '.kb-versions', t => t.includes('sup') && t.includes('2'), 'the history');
  await s.click('.kb-versions .el-table__row:last-child');
  await until(s, '.kb-versions', t => t.includes('(v1)') && t.includes('10000'), 'version 1 read back');
  await shot(s, 'kb-versions');
  await s.keyboard.press('Escape');
  ok('the history lists both versions and shows the first whole');
  noErrors(s, 'supervisor');

  // --- an agent searches and reads
  const a = await page(b);
  await signIn(a, '1001', 'secret1001');
  await open(a, 'kb');
  await until(a, '.kb-list', t => t.includes('退款流程') && !t.includes('退款内部审批'), 'no draft for the agent');
  assert(!(await a.$('.btn-new-article')), 'an agent has no editor');
  await a.fill('.kb-q input', '退款');
  await until(a, '.kb-list', t => t.includes('找到 1 篇') && t.includes('退款流程'), 'search 退款');
  assert((await a.$$eval('.kb-list .kb-snippet mark', m => m.map(x => x.textContent))).includes('退款'),
    'the snippet marks 退款');
  await a.click('.kb-hit');
  await until(a, '.kb-reader', t => t.includes('退款条件') && t.includes('提交退款申请'), 'the article read');
  await a.click('.btn-up');
  await until(a, '.btn-up', t => t === '有用 1', 'the vote counted');
  await shot(a, 'kb-agent');
  ok('an agent finds 退款 marked, never the draft, reads it and votes it useful');

  await a.fill('.kb-q input', '修');
  await until(a, '.kb-list', t => t.includes('宽带故障报修'), 'one character 修');
  ok('one character finds 报修');

  // --- the desk's search panel
  await open(a, 'desk');
  await a.fill('.kb-desk-q input', '5G套餐');
  await until(a, '.kb-desk', t => t.includes('5G套餐资费说明'), 'the desk finds 5G套餐');
  await a.click('.kb-desk .kb-hit');
  await until(a, '.kb-desk', t => t.includes('100G'), 'read on the desk');
  await shot(a, 'kb-desk');
  ok('the desk searches the knowledge base beside the call');
  noErrors(a, 'agent');

  // --- English, 1366×768
  const e = await page(b, 'en');
  await signIn(e, '1001', 'secret1001');
  await open(e, 'kb');
  await e.fill('.kb-q input', 'refund 退款');
  await until(e, '.kb-list', t => t.includes('0 found') || t.includes('found'), 'English search');
  await e.fill('.kb-q input', '');
  await e.click('.kb-item');
  await until(e, '.kb-reader', t => t.includes('Was this useful?'), 'the English reader');
  const fits = await e.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert(fits, 'the page is wider than 1366 px');
  await shot(e, 'kb-en');
  ok('the page fits 1366×768 in English');
  noErrors(e, 'english');
  step('done');
} finally {
  await b.close();
}
