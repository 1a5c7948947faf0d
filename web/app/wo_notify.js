// wo_notify: wherever they are in the console, the people a work order's
// time limit concerns are told when it nears (ticket.warning) or passes
// (ticket.breached, escalated to the department's lead) the limit; the
// server sends each to its audience only (docs/api.md, events). Agents
// are left out: they see their callers' orders, red once late, on the
// screen pop, and a notice on a call would be in their way. A click opens
// the order.
import { ElNotification } from 'element-plus';
import { onEvent } from './live.js';
import { session } from './api.js';
import { t } from './i18n.js';

// Starts telling; returns the function that stops it.
export function watchWorkOrders() {
  return onEvent(ev => {
    if (ev.type !== 'ticket.warning' && ev.type !== 'ticket.breached') return;
    if (!session.user || session.user.role === 'agent') return;
    const d = ev.data || {}, breached = ev.type === 'ticket.breached';
    const note = ElNotification({
      title: t(breached ? 'wo.note.breached' : 'wo.note.warning'),
      type: breached ? 'error' : 'warning',
      message: t(breached ? 'wo.note.breachedText' : 'wo.note.warningText', { no: d.no || ev.subject, clock: t('wo.clock.' + d.clock) }),
      customClass: 'wo-note', duration: breached ? 0 : 10000,
      onClick: () => { note.close(); location.hash = '#/workorders/' + (d.id || ev.subject); },
    });
  });
}
