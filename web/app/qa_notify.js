// qa_notify: wherever they are in the console, the agent is told of a new
// score and of a decided appeal, the lead of a new appeal (the server
// sends each qa event only to its audience: docs/api.md, events); a click
// opens the 质检 page.
import { ElNotification } from 'element-plus';
import { onEvent } from './live.js';
import { t } from './i18n.js';

const TEXT = { 'qa.evaluated': 'qa.note.evaluated', 'qa.appealed': 'qa.note.appealed',
  'qa.decided': 'qa.note.decided' };

// Starts telling; returns the function that stops it.
export function watchQa() {
  return onEvent(ev => {
    const key = TEXT[ev.type];
    if (!key) return;
    const d = ev.data || {};
    ElNotification({
      title: t('nav.qa'), type: ev.type === 'qa.appealed' ? 'warning' : 'info',
      message: t(key, { call: d.call_id, agent: d.agent, score: d.final_score, state: t('qa.state.' + d.state) }),
      customClass: 'qa-note', duration: 0, onClick: () => { location.hash = '#/qa'; },
    });
  });
}
