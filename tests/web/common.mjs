// The browser side of a console test: Debian's Chromium driven by
// playwright-core (from web/node_modules, installed by scripts/web.sh with
// the console's libraries; no browser download), at the 1366×768 the
// issue asks the console to work at.
import { createRequire } from 'module';
import { appendFileSync, readFileSync } from 'fs';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const BASE = process.env.BASE_URL;
const STEPS = process.env.STEPS;
const SHOTS = process.env.SHOTS;

// How many times longer than on an idle machine any wait may take before it
// fails (WEB_PATIENCE, default 3): CI has run the whole suite at 2.5 times
// this machine's time, and a console that is only slow under that load is
// not broken. A test that passes waits no longer for it.
export const PATIENCE = Number(process.env.WEB_PATIENCE) || 3;
export const patient = ms => ms * PATIENCE;

export function ok(what) { console.log('ok: ' + what); }
export function fail(what) { throw new Error(what); }
export function assert(cond, what) { if (!cond) fail(what); }

// Tells the bash side this point was reached.
export function step(name) { appendFileSync(STEPS, `step: ${name}\n`); }

// Waits for the bash side's "go: NAME" (at most seconds).
export async function waitGo(name, seconds = 60) {
  for (let i = 0; i < seconds * 10 * PATIENCE; i++) {
    if (readFileSync(STEPS, 'utf8').split('\n').includes(`go: ${name}`)) return;
    await new Promise(r => setTimeout(r, 100));
  }
  fail(`no go for ${name}`);
}

// Every context it makes waits patiently (playwright's own default is 30 s).
export async function browser() {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'] });
  const newContext = b.newContext.bind(b);
  b.newContext = async opts => {
    const ctx = await newContext(opts);
    ctx.setDefaultTimeout(patient(30000));
    return ctx;
  };
  return b;
}

// A fresh page (its own storage: its own signed-in user) that fails the
// test on any script error the console throws.
export async function page(b, lang) {
  const ctx = await b.newContext({ viewport: { width: 1366, height: 768 } });
  const p = await ctx.newPage();
  p.errors = [];
  p.on('pageerror', e => p.errors.push(e.message));
  // The browser logs every 4xx as an error, the refusals a test provokes
  // on purpose among them: API answers are the test's to check, but every
  // file of the console itself must load.
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

export async function signIn(p, user, password) {
  await p.fill('input[name=username]', user);
  await p.fill('input[name=password]', password);
  await p.click('button[type=submit]');
  await p.waitForSelector('.shell', { timeout: patient(15000) });
}

export async function open(p, pageName) {
  await p.click(`[data-page=${pageName}]`);
  await p.waitForFunction(n => location.hash === '#/' + n, pageName);
}

export async function shot(p, name) {
  await p.waitForTimeout(500);   // Element Plus's transitions settle
  await p.screenshot({ path: `${SHOTS}/${name}.png` });
}

// Text of the first element matching sel, waiting until pred(text) holds.
export async function until(p, sel, pred, what, seconds = 20) {
  let last = null;
  for (let i = 0; i < seconds * 5 * PATIENCE; i++) {
    const el = await p.$(sel);
    last = el ? (await el.innerText()).trim() : null;
    if (last !== null && pred(last)) return last;
    await p.waitForTimeout(200);
  }
  const state = await p.evaluate(() => JSON.stringify(window.hotline && window.hotline.live));
  // What the console told its user (an API error is an ElMessage).
  const said = await p.$$eval('.el-message', els => els.map(e => e.innerText.trim()));
  fail(`${what}: ${sel} shows ${JSON.stringify(last)}; messages: ${JSON.stringify(said)}; live: ${state}`);
}

// Waits until the tabs under sel read want (their labels, space-separated):
// a page draws its tabs once it knows its user's role, not when it opens.
export async function tabsAre(p, sel, want, who, seconds = 20) {
  let seen = null;
  for (let i = 0; i < seconds * 5 * PATIENCE; i++) {
    seen = await p.$$eval(`${sel} .el-tabs__item`, els => els.map(e => e.textContent.trim()).join(' '));
    if (seen === want) return;
    await p.waitForTimeout(200);
  }
  fail(`${who}: ${JSON.stringify(seen)}, not ${JSON.stringify(want)}`);
}

export function noErrors(p, who) {
  assert(!p.errors.length, `${who}: console errors ${JSON.stringify(p.errors)}`);
}

// Picks option text in the Element Plus select under sel.
export async function choose(p, sel, text) {
  await p.click(sel);
  await p.click(`.el-select-dropdown:visible .el-select-dropdown__item:has-text("${text}")`);
}
