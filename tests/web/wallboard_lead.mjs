// A team lead whose data scope is their department (wallboard.sh makes
// lead2, who leads 二组 with agent 1006): the center's KPI report is
// refused to them, so the day's chart sums the queues they see, and the
// call 1006 answered in support shows as an offered and answered bar.
// Its live tables hold its department alone: agent 1006 and support, the
// queue 1006 serves — not sales nor support's other agents — from the
// first picture on and still after the REST lists' poll would have come.
import { browser, page, signIn, shot, until, ok, fail, noErrors, patient } from './common.mjs';

// The first column of each row of the table under sel.
const column = (p, sel) => p.$$eval(`${sel} .el-table__body tr`,
  rows => rows.map(r => r.querySelector('td').innerText.trim()));

const b = await browser();
try {
  const p = await page(b);
  await signIn(p, 'lead2', 'password-lead2');
  await until(p, '.page-title', t => t === '监控大屏', 'landing page');
  await until(p, '.agent-table .el-table__body', t => t.includes('1006'), "1006 on the lead's board");
  for (let i = 0; i < 2; i++) {
    const agents = await column(p, '.agent-table'), queues = await column(p, '.queue-table');
    if (agents.join() !== '1006' || queues.join() !== 'support')
      fail(`the lead's board lists agents ${JSON.stringify(agents)}, queues ${JSON.stringify(queues)}`);
    if (!i) await p.waitForTimeout(5000);  // the queue poll runs every 2 s
  }
  ok("the team lead's board lists their department's agent 1006 and its queue support alone");
  await p.waitForFunction(() => {
    const c = window.echartsInstances && window.echartsInstances.wallboard;
    const o = c && c.getOption();
    return o && o.series[0].data.some(v => v >= 1) && o.series[1].data.some(v => v >= 1);
  }, null, { timeout: patient(20000) });
  await shot(p, 'wallboard-lead');
  ok("the team lead's day chart shows support's call, summed from the queues in scope");
  noErrors(p, 'lead2');
} finally {
  await b.close();
}
