// The console in Firefox (issue 14: "works in current Chromium and
// Firefox; usable at 1366×768"). Debian's firefox-esr driven over WebDriver
// BiDi by puppeteer-core (playwright drives only its own patched Firefox);
// no browser download. firefox.sh sets the scene.
//
// The administrator walks every page in Chinese and in English: each opens
// under its own title, throws nothing, needs no sideways scrolling, and no
// menu label is cut off. Agent 1001 goes ready and a real call pops up.
import { createRequire } from 'module';
import { step, waitGo, ok, fail, assert, patient, PATIENCE } from './common.mjs';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const puppeteer = require('puppeteer-core');
const BASE = process.env.BASE_URL;
const SHOTS = process.env.SHOTS;
const pause = ms => new Promise(r => setTimeout(r, ms));

async function page(b, lang) {
  const ctx = await b.createBrowserContext();
  const p = await ctx.newPage();
  p.setDefaultTimeout(patient(30000));
  await p.setViewport({ width: 1366, height: 768 });
  p.errors = [];
  p.on('pageerror', e => p.errors.push(e.message));
  p.on('console', m => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      p.errors.push(m.text());
  });
  p.on('response', r => {
    if (r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/api/'))
      p.errors.push(`${r.status()} ${r.url()}`);
  });
  await p.goto(BASE + '/' + (lang ? '?lang=' + lang : ''));
  return p;
}

async function signIn(p, user, password) {
  await p.waitForSelector('input[name=username]');
  await p.type('input[name=username]', user);
  await p.type('input[name=password]', password);
  await p.click('button[type=submit]');
  await p.waitForSelector('.shell', { timeout: patient(15000) });
}

// Text of the first element matching sel once pred(text) holds.
async function until(p, sel, pred, what, seconds = 20) {
  let last = null;
  for (let i = 0; i < seconds * 5 * PATIENCE; i++) {
    last = await p.$eval(sel, e => e.innerText.trim()).catch(() => null);
    if (last !== null && pred(last)) return last;
    await pause(200);
  }
  fail(`${what}: ${sel} shows ${JSON.stringify(last)}`);
}

function noErrors(p, who) {
  assert(!p.errors.length, `${who}: console errors ${JSON.stringify(p.errors)}`);
}

// Every page of the menu, in menu order: its title is its menu label, the
// document is no wider than the window, and every label fits its item.
async function walk(p, lang) {
  const items = await p.$$eval('[data-page]', els => els.map(e => ({
    page: e.getAttribute('data-page'), label: e.innerText.trim(),
    cut: [...e.querySelectorAll('span')].some(s => s.scrollWidth > s.clientWidth + 1) ||
      e.scrollWidth > e.clientWidth + 1 })));
  assert(items.length >= 10, `${lang}: only ${items.length} pages in the menu`);
  const cut = items.filter(i => i.cut).map(i => i.label);
  assert(!cut.length, `${lang}: menu labels cut off at 1366×768: ${cut.join(', ')}`);
  for (const it of items) {
    await p.click(`[data-page=${it.page}]`);
    await p.waitForFunction(n => location.hash.startsWith('#/' + n), {}, it.page);
    await until(p, '.page-title', t => t === it.label, `${lang} ${it.page}: title`);
    await pause(400);   // Element Plus's transitions settle
    const wide = await p.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 1366, `${lang} ${it.page}: the page is ${wide}px wide at 1366`);
    await p.screenshot({ path: `${SHOTS}/firefox-${lang}-${it.page}.png` });
    noErrors(p, `${lang} ${it.page}`);
  }
  return items.map(i => i.page);
}

const b = await puppeteer.launch({ browser: 'firefox',
  executablePath: '/usr/bin/firefox-esr', headless: true });
try {
  const zh = await page(b);
  await signIn(zh, 'admin', 'admin123');
  const pages = await walk(zh, 'zh');
  ok(`Firefox, 中文: ${pages.length} pages open, each under its title, none wider than 1366`);
  const en = await page(b, 'en');
  await signIn(en, 'admin', 'admin123');
  await until(en, '[data-page=wallboard]', t => t === 'Wallboard', 'the English menu');
  await walk(en, 'en');
  ok('Firefox, English: the same pages, every label whole');

  const agent = await page(b);
  await signIn(agent, '1001', 'secret1001');
  await until(agent, '.my-state', t => t === '就绪', '1001 ready once its phone registered');
  step('ready');
  await until(agent, '[data-field=caller]', t => t === '13800138000', 'screen pop: caller', 45);
  await until(agent, '.call-state', t => t === '通话中', 'the call answered');
  await until(agent, '[data-field=region]', t => t.includes('北京'), 'screen pop: region');
  await until(agent, '[data-field=queue]', t => t === 'sales', 'screen pop: queue');
  await agent.screenshot({ path: `${SHOTS}/firefox-desk-pop.png` });
  noErrors(agent, 'agent desktop');
  ok('Firefox: the screen pop shows the caller, 北京 and queue sales over the CTI WebSocket');
  step('popped');
  await waitGo('done');
} finally {
  await b.close();
}
