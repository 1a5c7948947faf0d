// live: the console's picture of the center as it is now — agents, queues
// and live calls — kept from the event WebSocket. On every (re)connect the
// picture is rebuilt from the server's state first (the snapshot frame when
// the server sends one, else the REST lists), then events are applied in
// order, so what the console shows never drifts from the server.
import { reactive } from 'vue';
import { get, session } from './api.js';

export const live = reactive({
  connected: false,     // the WebSocket is open
  everConnected: false, // a banner only after a connection was lost
  agents: {},           // ext → {ext, state, reason, since (ms), queues, …}
  queues: {},           // name → the /api/v1/queues item
  calls: {},            // id → {id, from, to, queue, agent, state, …}
  seq: 0,
});

const listeners = [];
// fn(event) for every event after it was applied to the picture.
export function onEvent(fn) {
  listeners.push(fn);
  return () => listeners.splice(listeners.indexOf(fn), 1);
}

let ws = null, retry = 0, timer = null, stopped = true, poller = null;
let lastStats = 0;   // when the server last sent queue.stats
// The server sends snapshot frames: the picture is then the one it sends,
// scoped to the user (a department's lead: its agents and their queues,
// src/api/scope_ws.c), and the REST lists, which list every agent and
// queue, never replace it — not even a reply that was on its way.
let snapshots = false;

export function start() {
  stopped = false;
  connect();
  // Queue figures (waiting, longest wait, today's service level) change
  // with time as well as with events: refreshed every two seconds.
  poller = setInterval(refreshQueues, 2000);
}

export function stop() {
  stopped = true;
  snapshots = false;
  clearTimeout(timer);
  clearInterval(poller);
  if (ws) ws.close();
  ws = null;
  live.connected = false;
}

function connect() {
  if (stopped || !session.token) return;
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  ws = new WebSocket(`${proto}//${location.host}/api/v1/events?token=` +
    encodeURIComponent(session.token));
  let gotSnapshot = false;
  ws.onopen = () => {
    retry = 0;
    live.connected = true;
    live.everConnected = true;
    // A server without snapshot frames: the lists give the state.
    setTimeout(() => { if (!gotSnapshot) refreshAll(); }, 300);
  };
  ws.onmessage = m => {
    let ev;
    try { ev = JSON.parse(m.data); } catch (e) { return; }
    if (ev.type === 'snapshot') {
      gotSnapshot = snapshots = true;
      applySnapshot(ev);
      return;
    }
    apply(ev);
    listeners.forEach(fn => fn(ev));
  };
  ws.onclose = () => {
    live.connected = false;
    ws = null;
    if (stopped) return;
    // Back off to at most 10 s between attempts.
    retry = Math.min(retry + 1, 5);
    timer = setTimeout(connect, [500, 1000, 2000, 4000, 8000, 10000][retry]);
  };
}

async function refreshAll() {
  await Promise.all([loadAgents(), refreshQueues()]);
}

// The agents from the REST list, for a page that finds none: not while a
// connection is open or opening (its snapshot brings them, scoped).
export async function refreshAgents() {
  if (!ws && !snapshots) await loadAgents();
}

async function loadAgents() {
  if (snapshots) return;
  try {
    const r = await get('/api/v1/agents');
    if (snapshots) return;
    const now = Date.now(), next = {};
    for (const a of r.items)
      next[a.ext] = { ...a, since: now - (a.time_in_state_s || 0) * 1000 };
    live.agents = next;
  } catch (e) { /* the banner or the page says why */ }
}

export async function refreshQueues() {
  // The server's once-a-second queue.stats make polling unnecessary.
  if (!live.connected || snapshots || Date.now() - lastStats < 3000) return;
  try {
    const r = await get('/api/v1/queues');
    if (snapshots) return;
    const next = {};
    for (const q of r.items) next[q.name] = q;
    live.queues = next;
  } catch (e) { /* kept as they were */ }
}

function applySnapshot(ev) {
  const d = ev.data || {}, now = Date.now();
  const agents = {}, queues = {}, calls = {};
  for (const a of d.agents || [])
    agents[a.ext] = { ...a, since: now - (a.time_in_state_s || 0) * 1000 };
  for (const q of d.queues || []) queues[q.name] = q;
  for (const c of d.calls || [])
    calls[c.id] = { ...c, since: Date.parse(c.started_at) || now,
      answeredAt: c.answered_at ? Date.parse(c.answered_at) : null };
  live.agents = agents;
  if (d.queues) live.queues = queues;
  live.calls = calls;
  live.seq = ev.seq || 0;
}

// What each event changes in the picture.
const callState = {
  'call.created': 'new', 'call.queued': 'queued', 'call.ringing': 'ringing',
  'call.answered': 'talking', 'call.hold': 'held', 'call.resume': 'talking',
};

function apply(ev) {
  if (ev.seq) live.seq = ev.seq;
  const d = ev.data || {};
  if (ev.type === 'agent.state') {
    const a = live.agents[ev.subject] || { ext: ev.subject, queues: [] };
    // The event says "wrapup" (the KPI report's name), the snapshot and the
    // API "wrap_up": one name in the console.
    live.agents[ev.subject] = {
      ...a, state: d.state === 'wrapup' ? 'wrap_up' : d.state, reason: d.reason || '',
      since: Date.parse(ev.ts) || Date.now(),
    };
    return;
  }
  if (ev.type === 'queue.stats' && d.queues) {
    lastStats = Date.now();
    const next = {};
    for (const q of d.queues) next[q.name] = q;
    live.queues = next;
    return;
  }
  // An agent's scoped stream starts at its own offer: the queue comes
  // from the queue.* events that name the call.
  if (ev.type.startsWith('queue.') && d.queue && ev.subject && ev.type !== 'queue.blocked') {
    if (ev.type === 'queue.complete' || ev.type === 'queue.wrapup_end') return;
    const c = live.calls[ev.subject] || { id: ev.subject, since: Date.now() };
    c.queue = d.queue;
    live.calls[ev.subject] = c;
    return;
  }
  if (!ev.type.startsWith('call.')) return;
  if (ev.type === 'call.ended') {
    delete live.calls[ev.subject];
    return;
  }
  const c = live.calls[ev.subject] || { id: ev.subject, since: Date.now() };
  // call.data carries only what was set: it joins the data, by section.
  if (ev.type === 'call.data') {
    const data = { ...(c.data || {}) };
    for (const [s, kv] of Object.entries(d.data || {})) data[s] = { ...(data[s] || {}), ...kv };
    live.calls[ev.subject] = { ...c, data };
    return;
  }
  for (const k of ['from', 'to', 'direction', 'queue', 'agent', 'province',
    'city', 'data'])
    if (d[k] !== undefined && d[k] !== null) c[k] = d[k];
  if (callState[ev.type]) c.state = callState[ev.type];
  if (ev.type === 'call.answered') c.answeredAt = Date.parse(ev.ts) || Date.now();
  live.calls[ev.subject] = c;
}
