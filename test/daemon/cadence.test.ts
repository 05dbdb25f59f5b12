// The node's cadence table: resolved once with its options, frozen, fully defaulted; the environment's
// knobs read there.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_CADENCE, resolveCadence } from '../../src/daemon/cadence.js';
import { daemonCommand, resolveDaemonOptions } from '../../src/daemon/options.js';
import { HEARTBEAT_MS, OBSERVE_MS } from '../../src/liveness/budget.js';

function optionsFor(argv: string[], env: NodeJS.ProcessEnv) {
  const command = daemonCommand();
  command.parse(['--spool', '/tmp/renderd-cadence-test', ...argv], { from: 'user' });
  return resolveDaemonOptions(command.opts(), env, '/tmp');
}

test('the liveness periods are the farm budget\'s, not the node\'s own', () => {
  assert.is(DEFAULT_CADENCE.heartbeatMs, HEARTBEAT_MS);
  assert.is(DEFAULT_CADENCE.observeMs, OBSERVE_MS);
});

test('no knob: the defaults, frozen', () => {
  const cadence = resolveCadence({});
  assert.equal(cadence, DEFAULT_CADENCE);
  assert.ok(Object.isFrozen(cadence));
});

test('RENDERD_SHORT_CHUNK_MS sets the short-chunk threshold and nothing else', () => {
  const cadence = resolveCadence({ RENDERD_SHORT_CHUNK_MS: '5000' });
  assert.equal(cadence, { ...DEFAULT_CADENCE, shortChunkMs: 5000 });
  assert.ok(Object.isFrozen(cadence));
});

for (const ignored of ['soon', '-1', '0', '']) {
  test(`RENDERD_SHORT_CHUNK_MS='${ignored}' (a test-only knob): ignored, as before`, () => {
    assert.is(resolveCadence({ RENDERD_SHORT_CHUNK_MS: ignored }), DEFAULT_CADENCE);
  });
}

test('the options carry the table and the knobs, resolved once', () => {
  const options = optionsFor([], { RENDERD_SHORT_CHUNK_MS: '250', RENDERD_WARM_MIN_FREE: '0.2', RENDERD_LOG_DECISIONS: '1' });
  assert.ok(Object.isFrozen(options));
  assert.is(options.cadence.shortChunkMs, 250);
  assert.is(options.warmMinFreeShare, 0.2);
  assert.is(options.logDecisions, true);
  const plain = optionsFor([], {});
  assert.equal(plain.cadence, DEFAULT_CADENCE);
  assert.is(plain.warmMinFreeShare, 0.1);
  assert.is(plain.logDecisions, false);
});

test('flag defaults written once: commander\'s and those of options resolved without it agree', () => {
  const parsed = optionsFor(['--node', 'n1'], {});
  const bare = resolveDaemonOptions({ spool: '/tmp/renderd-cadence-test', node: 'n1' }, {}, '/tmp');
  const { advertise: _a, ...fromCommander } = parsed;
  const { advertise: _b, ...fromNothing } = bare;
  assert.equal(fromNothing, fromCommander);
});

test('the node keeps no period of its own outside the table: no `_MS =` constant in daemon/ (chunk/ aside) but the doctor\'s reply timeout', () => {
  // dist/test/daemon → the sources, which the build leaves where they are
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/daemon');
  const found = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'cadence.ts')
    .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => /^(export )?const [A-Z_]+_MS = /.test(l)).map((l) => `${f}: ${l}`));
  assert.equal(found, ['doctor-answer.ts: const BLENDER_WAIT_MS = 2000;']);
});

test.run();
