// The supervisor on the calls page (calls.sh seeds the calls): filter by
// number, select two calls, download them as one archive.
import { writeFileSync, readFileSync } from 'fs';
import { browser, page, signIn, open, shot, until, ok, assert, noErrors, choose, patient } from './common.mjs';

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
  // The player's two lanes are the API's spans, overtalk on both lanes,
  // silence and hold marked; a click a quarter of the way along seeks the
  // recording to 15 s and moves the playhead there.
  const api = await p.evaluate(async () => {
    const s = JSON.parse(sessionStorage.getItem('hotline.session'));
    const r = await fetch('/api/v1/calls/w1/audio-timeline',
      { headers: { Authorization: 'Bearer ' + s.token } });
    return r.json();
  });
  assert(api.status === 'ok' && api.timeline, `the API's timeline: ${JSON.stringify(api)}`);
  await until(p, '.el-drawer .audio-timeline', t => t.includes('客户') && t.includes('坐席'),
    'the two lanes, 客户 and 坐席');
  const spans = sel => p.$$eval(sel, els => els.map(e => [+e.dataset.from, +e.dataset.to]));
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const tl = api.timeline;
  for (const [sel, want] of [
    ['.tl-lane-customer .tl-span', tl.customer], ['.tl-lane-agent .tl-span', tl.agent],
    ['.tl-lane-customer .tl-over', tl.overtalk], ['.tl-lane-agent .tl-over', tl.overtalk],
    ['.tl-mark.tl-silence', tl.silence], ['.tl-mark.tl-hold', tl.hold]]) {
    const got = await spans('.el-drawer ' + sel);
    assert(same(got, want), `${sel}: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
  // drawn where they are: the first customer span starts 1/60 of the way
  // Read once the drawer has stopped sliding in (two frames alike), both
  // boxes in one frame.
  const rects = () => p.evaluate(() => [
    document.querySelector('.el-drawer .tl-lanes').getBoundingClientRect().toJSON(),
    document.querySelector('.el-drawer .tl-lane-customer .tl-span').getBoundingClientRect().toJSON()]);
  let lanes, first, prev = '';
  for (let i = 0; i < 50; i++) {
    [lanes, first] = await rects();
    if (JSON.stringify([lanes, first]) === prev) break;
    prev = JSON.stringify([lanes, first]);
    await p.waitForTimeout(100);
  }
  assert(Math.abs(first.x - lanes.x - lanes.width / 60) < 2 &&
    Math.abs(first.width - lanes.width * 19 / 60) < 2, `the first span drawn at ${JSON.stringify(first)}`);
  await p.waitForFunction(() => {
    const a = document.querySelector('.el-drawer audio.detail-audio');
    return a && a.readyState >= 1 && Math.abs(a.duration - 60) < 0.5;
  }, null, { timeout: patient(20000) });
  await p.mouse.click(lanes.x + lanes.width / 4, lanes.y + 5);
  await p.waitForFunction(() => {
    const a = document.querySelector('.el-drawer audio.detail-audio');
    return Math.abs(a.currentTime - 15) < 0.5;
  }, null, { timeout: patient(10000) });
  await until(p, '.el-drawer .audio-timeline', t => /0:1[45]\.\d \/ 1:00/.test(t), 'the clock at 15 s');
  const playhead = await p.$eval('.el-drawer .tl-head', e => [+e.dataset.ms, e.getBoundingClientRect().x]);
  assert(Math.abs(playhead[0] - 15000) < 500 && Math.abs(playhead[1] - lanes.x - lanes.width / 4) < 3,
    `the playhead: ${playhead}`);
  ok('the player draws the API\'s spans in two lanes, and a click seeks the recording');
  await shot(p, 'calls-audio');
  await p.keyboard.press('Escape');
  await p.click('.call-table tr:has-text("13912345678") .open-call');
  await until(p, '.call-audio', t => t.includes('录音文件缺失'), 'a missing recording said so');
  await p.keyboard.press('Escape');
  ok('the call details show the audio measures, and a missing recording');
  // The list's own player draws the same lanes under the playing call.
  await p.click('.call-table tr:has-text("13800138001") .el-button:has-text("播放")');
  await until(p, '.player .audio-timeline', t => t.includes('客户') && t.includes('坐席'), "the list player's lanes");
  const listLanes = await p.$$eval('.player .tl-lane-customer .tl-span', els => els.map(e => e.dataset.from + '-' + e.dataset.to));
  assert(listLanes.join(' ') === '1000-20000 33000-44000', `the list player's customer lane: ${listLanes}`);
  const w = await p.$eval('.player audio', a => a.getBoundingClientRect().width);
  assert(w > 300, `the list player's controls beside the lanes: ${w} px wide`);
  await p.$eval('.player audio', a => a.pause());
  ok("the list's player shows the playing call's lanes");
  // The wrap-up filed with a call shows in words and narrows the search.
  await shot(p, 'calls-player');
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
  const [dl] = await Promise.all([p.waitForEvent('download', { timeout: patient(20000) }),
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
