// The supervisor on the calls page (calls.sh seeds the calls): filter by
// number, select two calls, download them as one archive.
import { writeFileSync, readFileSync } from 'fs';
import { browser, page, signIn, open, shot, until, ok, assert, noErrors, choose } from './common.mjs';

const out = process.argv[2];
const b = await browser();
try {
  const p = await page(b);
  await signIn(p, 'sup', 'sup123');
  await open(p, 'calls');
  await until(p, '.call-table', t => t.includes('13912345678'), 'all three calls listed');
  // A measured call's details show how its recording's time was spent:
  // 60 s, the customer alone 24 s (40 %), the agent alone 18 s (30 %),
  // both 6 s (10 %), neither 12 s (20 %); a call whose file is missing
  // says so.
  await p.click('.call-table tr:has-text("13800138001") .open-call');
  await until(p, '.call-audio', t => t.includes('12.5') && t.includes('183') && t.includes('抢话'),
    'the audio measures in the call details');
  const bar = await p.$$eval('.call-audio .audio-bar .seg', els => els.map(e => e.style.width));
  assert(bar.join(' ') === '40% 30% 10% 20%', `the bar: ${bar.join(' ')}`);
  await shot(p, 'calls-audio');
  await p.keyboard.press('Escape');
  await p.click('.call-table tr:has-text("13912345678") .open-call');
  await until(p, '.call-audio', t => t.includes('录音文件缺失'), 'a missing recording said so');
  await p.keyboard.press('Escape');
  ok('the call details show the audio measures, and a missing recording');
  // The wrap-up filed with a call shows in words and narrows the search.
  await until(p, '.call-table', t => t.includes('咨询'), 'the wrap-up code in words');
  await choose(p, '.f-wrapup', '咨询');
  await p.click('button:has-text("查询")');
  await until(p, '.call-table', t => t.includes('13800138002') && !t.includes('13800138001'),
    'filtered by wrap-up code');
  await p.click('button:has-text("重置")');
  await until(p, '.call-table', t => t.includes('13912345678'), 'all three again after reset');
  await p.fill('.f-number input', '1380013800');
  await p.click('button:has-text("查询")');
  await until(p, '.call-table', t => !t.includes('13912345678') && t.includes('13800138002'),
    'filtered by number');
  const boxes = await p.$$('.call-table .el-table__body .el-checkbox');
  assert(boxes.length === 2, `two rows after the filter, got ${boxes.length}`);
  for (const box of boxes) await box.click();
  await until(p, 'button.zip', t => t.includes('(2)'), 'two selected');
  await shot(p, 'calls-selected');
  const [dl] = await Promise.all([p.waitForEvent('download', { timeout: 20000 }),
    p.click('button.zip')]);
  await dl.saveAs(out);
  const head = readFileSync(out).subarray(0, 4);
  assert(head.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])), `not a zip: ${head.toString('hex')}`);
  assert(/^recordings-[0-9a-f]+\.zip$/.test(dl.suggestedFilename()), dl.suggestedFilename());
  ok('two calls selected, the archive downloaded as a ZIP');

  await p.click('.lang-select');
  await p.click('.el-select-dropdown__item:has-text("English")');
  await until(p, 'button.zip', t => t.includes('Download selected'), 'English button');
  await shot(p, 'calls-en');
  noErrors(p, 'sup');
  writeFileSync(out + '.ok', 'ok');
} finally {
  await b.close();
}
