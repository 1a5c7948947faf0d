// The KPI targets screen driven by an admin (kpi_targets.sh seeds the
// days): a target edited in the drawer of the 日报 page changes the colour
// of the day's tile, for the center and for one queue.
import { browser, page, signIn, shot, until, ok, assert, noErrors, choose } from './common.mjs';

const yday = process.argv[2];
const b = await browser();
const missed = (p, kpi) => p.$eval(`.kpi-tile[data-kpi=${kpi}]`, e => e.dataset.missed);

// Waits until the tile of kpi says missed (want 'true' / 'false').
async function tile(p, kpi, want, what) {
  for (let i = 0; i < 100; i++) {
    if (await missed(p, kpi).catch(() => null) === want) return;
    await p.waitForTimeout(200);
  }
  assert(false, `${what}: the ${kpi} tile's missed is ${await missed(p, kpi).catch(e => e.message)}`);
}

// In the open drawer: sets kpi's low and high (as typed) and saves.
async function setTarget(p, kpi, lo, hi) {
  const row = `.targets-drawer .targets-edit[data-kpi=${kpi}]`;
  await p.waitForSelector(row);
  await p.fill(`${row} .t-lo input`, lo);
  await p.fill(`${row} .t-hi input`, hi);
  await p.click(`${row} .t-save`);
}

async function closeDrawer(p) {
  await p.click('.targets-drawer .el-drawer__close-btn');
  await p.waitForSelector('.targets-drawer', { state: 'hidden' });
}

try {
  const p = await page(b);
  await signIn(p, 'admin', 'admin123');

  await p.evaluate(d => { location.hash = `#/daily?day=${d}`; }, yday);
  await until(p, '.kpi-tile[data-kpi=service_level]', t => t.includes('60.0%'), "yesterday's service level");
  await tile(p, 'service_level', 'true', 'the reference 80 %');
  await until(p, '.kpi-tile[data-kpi=service_level] .target', t => t.includes('80.0%'), 'the reference target shown');
  await tile(p, 'asa', 'false', 'an ASA of 15 s under 20 s');

  await p.click('.daily-targets');
  await until(p, '.targets-drawer .targets-table', t => t.includes('服务水平') && t.includes('80.0%'),
    'the targets table with the reference');
  // Bad input is refused by the server with its reason and saves nothing.
  await setTarget(p, 'service_level', '90', '80');
  await until(p, '.el-message--error', t => t.includes('target_lo: above target_hi'), 'low above high refused');
  await setTarget(p, 'service_level', '50', '');
  await until(p, '.el-message--success', t => t.includes('服务水平'), 'saved');
  await until(p, '.targets-drawer .targets-table', t => t.includes('≥ 50.0%'), "the center's own shown");
  await shot(p, 'kpi-targets');
  await closeDrawer(p);
  await tile(p, 'service_level', 'false', 'the center set 50 %: 60 % meets it');
  await until(p, '.kpi-tile[data-kpi=service_level] .target', t => t.includes('50.0%'), 'the tile shows 50 %');
  ok("the center's service-level target lowered to 50 %: yesterday's 60 % tile turns from red to met");

  // sales' own ASA ceiling: the sales day is missed, the center's is not.
  await choose(p, '.daily-queue', 'sales');
  await tile(p, 'asa', 'false', "sales' ASA under the reference");
  await p.click('.daily-targets');
  await choose(p, '.targets-scope', 'sales');
  await setTarget(p, 'asa', '', '10');
  await until(p, '.targets-drawer .targets-table', t => t.includes('≤ 10.0 s'), "sales' own ASA shown");
  await closeDrawer(p);
  await tile(p, 'asa', 'true', "sales' ASA ceiling of 10 s");
  await shot(p, 'kpi-targets-daily');
  ok("sales' own ASA ceiling of 10 s turns sales' ASA tile red");

  await p.click('.daily-targets');
  await choose(p, '.targets-scope', 'sales');
  await p.click('.targets-drawer .targets-edit[data-kpi=asa] .t-reset');
  await until(p, '.el-message--success', t => t.includes('恢复') || t.includes('上一级'), 'reset');
  await closeDrawer(p);
  await tile(p, 'asa', 'false', "sales' ASA back to the reference");
  ok("reset: sales' ASA is under the reference's 20 s again");
  noErrors(p, 'admin');
} finally {
  await b.close();
}
