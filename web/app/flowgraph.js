// flowgraph: what the IVR page reads out of a flow's JSON, with no
// browser and no library, so tests/web/flowgraph.test.mjs runs it in node.

// The line (1-based) of a validator path such as "nodes.menu.keys.1" in
// text: each segment's key is looked for after the previous one's.
export function lineOf(text, path) {
  let at = 0;
  for (const seg of String(path).split('.')) {
    const i = text.indexOf(JSON.stringify(seg) + ':', at);
    if (i < 0) break;
    at = i + 1;
  }
  return text.slice(0, at).split('\n').length;
}

// The exits of each node kind (docs/ivr.md's table): the fields whose
// value is the name of the next node. A menu's keys and a branch's cases
// are exits too, each labelled by its key or its position.
const EXITS = ['next', 'timeout', 'invalid', 'default', 'open', 'closed', 'ok',
  'fail', 'else'];

// Every edge of a flow: {from, to, label}.
export function edgesOf(flow) {
  const nodes = (flow && flow.nodes) || {};
  const out = [];
  const add = (from, to, label) => { if (typeof to === 'string' && nodes[to]) out.push({ from, to, label }); };
  for (const [name, n] of Object.entries(nodes)) {
    for (const k of EXITS) add(name, n[k], k);
    for (const [key, to] of Object.entries(n.keys || {})) add(name, to, key);
    (n.cases || []).forEach((c, i) => add(name, c && c.next, `if ${i + 1}`));
  }
  // One arrow per pair of nodes, labelled with every way along it.
  const merged = {};
  for (const e of out) {
    const k = e.from + '\u0000' + e.to;
    if (merged[k]) merged[k].label += ', ' + e.label;
    else merged[k] = { ...e };
  }
  return Object.values(merged);
}
