// The IVR page's reading of a flow (web/app/flowgraph.js): which arrows
// the graph draws and which line a validator problem points at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, edgesOf } from '../../web/app/flowgraph.js';

const flow = {
  name: 'm', start: 'hello',
  nodes: {
    hello: { kind: 'play', prompt: 'hi', next: 'menu' },
    menu: { kind: 'menu', prompt: 'p', timeout_ms: 5000,
      keys: { 1: 'sales', 2: 'support' }, default: 'support' },
    sales: { kind: 'set', data: { ivr: { menu: 'support' } }, next: 'q' },
    support: { kind: 'branch', cases: [{ if: 'caller == "1"', next: 'q' }], else: 'bye' },
    q: { kind: 'queue', queue: 'sales' },
    bye: { kind: 'hangup', prompt: 'bye' },
  },
};

test('arrows follow exits only, one per pair, every way along it named', () => {
  const e = edgesOf(flow).map(x => `${x.from}>${x.to}:${x.label}`).sort();
  assert.deepEqual(e, [
    'hello>menu:next',
    'menu>sales:1',
    'menu>support:default, 2',
    'sales>q:next',
    'support>bye:else',
    'support>q:if 1',
  ].sort());
});

test('a value that happens to be a node name is no arrow', () => {
  // sales' data says "support" and q's queue says "sales": neither is an exit.
  assert.ok(!edgesOf(flow).some(x => x.from === 'sales' && x.to === 'support'));
  assert.ok(!edgesOf(flow).some(x => x.from === 'q'));
});

test('a problem path points at its line', () => {
  const text = JSON.stringify(flow, null, 2);
  const lines = text.split('\n');
  const at = lineOf(text, 'nodes.menu.keys.2');
  assert.match(lines[at - 1], /"2": "support"/);
  assert.match(lines[lineOf(text, 'nodes.support') - 1], /"support": \{/);
  assert.equal(lineOf(text, ''), 1);
});
