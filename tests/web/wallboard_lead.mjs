// A team lead whose data scope is their department (wallboard.sh makes
// lead2, who leads 二组 with agent 1006): the center's KPI report is
// refused to them, so the day's chart sums the queues they see, and the
// call 1006 answered in support shows as an offered and answered bar.
import { browser, page, signIn, shot, until, ok, noErrors } from './common.mjs';

const b = await browser();
try {
  const p = await page(b);
  await signIn(p, 'lead2', 'password-lead2');
  await until(p, '.page-title', t => t === '监控大屏', 'landing page');
  await p.waitForFunction(() => {
    const c = window.echartsInstances && window.echartsInstances.wallboard;
    const o = c && c.getOption();
    return o && o.series[0].data.some(v => v >= 1) && o.series[1].data.some(v => v >= 1);
  }, null, { timeout: 20000 });
  await shot(p, 'wallboard-lead');
  ok("the team lead's day chart shows support's call, summed from the queues in scope");
  noErrors(p, 'lead2');
} finally {
  await b.close();
}
