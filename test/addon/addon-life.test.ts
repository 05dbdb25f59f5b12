// The add-on's life in a user's Blender, on each test Blender: disabled and enabled again cleanly; its
// messages and job list never saved into the artist's .blend; a job list that fails to refresh after a
// good submit leaves the submit done; and its CLI calls return at once, finished later from a timer.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { RENDER_BIN, runRender } from '../support/index.js';
import { testBlenders, type TestBlender } from '../support/blenders.js';
import { gate } from '../support/requires.js';

const run = promisify(execFile);
const BLENDER_TIMEOUT_MS = 120_000;

interface Context { dir: string; env: NodeJS.ProcessEnv; module: string }

for (const blender of testBlenders()) {
  const life = gate(suite<Context>(`add-on life [${blender.name}]`, { dir: '', env: {}, module: '' }), `Blender ${blender.name}`, blender.missing);
  defineLife(life, blender);
  life.run();
}

function defineLife(life: Test<Context>, blender: TestBlender): void {
  /** Runs `script` in `blender -b [file]`; it fails the test when Python fails. */
  const python = async (env: NodeJS.ProcessEnv, script: string, file?: string) => {
    try {
      return await run(blender.path, ['-b', ...(file ? [file] : []), '--python-exit-code', '1', '--python-expr', script], { env, timeout: BLENDER_TIMEOUT_MS });
    } catch (error) {
      const { stdout, stderr } = error as { stdout: string; stderr: string };
      throw new Error(`Blender failed:\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`);
    }
  };

  life.before(async (context) => {
    context.dir = await mkdtemp(path.join(os.tmpdir(), 'renderd-addon-life-'));
    context.env = { ...process.env, HOME: context.dir, BLENDER_USER_CONFIG: path.join(context.dir, 'config'), BLENDER_USER_SCRIPTS: path.join(context.dir, 'scripts'), RENDER_SPOOL: '' };
    const installed = await runRender(['addon', 'install', '--blender', blender.path, '--json'], { env: context.env, timeoutMs: 2 * BLENDER_TIMEOUT_MS });
    assert.is(installed.code, 0, installed.stderr);
    context.module = (JSON.parse(installed.stdout) as { module: string }).module;
  });
  life.after(async ({ dir }) => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  life('disabled and enabled twice: its types go and come back, no error', async ({ env, module }) => {
    const { stdout } = await python(env, `import addon_utils, bpy
def fail(error): raise error
for _ in range(2):
    addon_utils.disable(${JSON.stringify(module)}, default_set=False, handle_error=fail)
    assert not hasattr(bpy.types.WindowManager, 'renderd') and not hasattr(bpy.types.Scene, 'renderd')
    assert not hasattr(bpy.types, 'RENDERD_OT_submit')
    addon_utils.enable(${JSON.stringify(module)}, default_set=False, handle_error=fail)
    assert hasattr(bpy.types.WindowManager, 'renderd') and bpy.ops.renderd.submit.idname() == 'RENDERD_OT_submit'
print('CYCLED')`);
    assert.match(stdout, 'CYCLED');
  });

  life('a job list that fails after a good submit: the submit is done, the list a warning; nothing of it saved in the .blend', async ({ dir, env, module }) => {
    const blend = path.join(dir, 'shot.blend');
    const spool = path.join(dir, 'spool');
    // the real CLI, except that `render list` fails
    const cli = path.join(dir, 'render-no-list');
    await writeFile(cli, `#!/bin/sh\ncase " $* " in *" list "*) echo "render: list broke on purpose" >&2; exit 2 ;; esac\nexec ${process.execPath} ${RENDER_BIN} "$@"\n`);
    await chmod(cli, 0o755);
    await python(env, `import bpy
s = bpy.context.scene
s.render.engine = 'CYCLES'; s.cycles.use_denoising = False
bpy.context.preferences.addons[${JSON.stringify(module)}].preferences.render_cli = ${JSON.stringify(cli)}
bpy.ops.wm.save_userpref()
bpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(blend)})`);
    const submit = await python(env, `import bpy
result = bpy.ops.renderd.submit(spool=${JSON.stringify(spool)}, chunk=5)
assert result == {'FINISHED'}, result
said = [(m.level, m.text.split(':')[0]) for m in bpy.context.window_manager.renderd.messages]
assert said[-2:] == [('INFO', 'queued job ' + said[-2][1].split()[-1]), ('WARNING', 'queued, but the job list was not refreshed')], said
bpy.ops.wm.save_mainfile()`, blend);
    assert.match(submit.stdout, /^renderd: queued job \S+$/m);
    assert.match(submit.stderr, /^renderd: warning: queued, but the job list was not refreshed: render: list broke on purpose$/m);
    // read back without the add-on: the scene keeps the artist's settings, nothing of the session
    const { stdout } = await python(env, `import bpy
kept = bpy.context.scene.get('renderd')
print('KEPT', sorted(kept.keys()) if kept else [], bpy.context.window_manager.get('renderd'))`.replace('import bpy', 'import bpy, addon_utils\naddon_utils.disable(' + JSON.stringify(module) + ')'), blend);
    const kept = /^KEPT (.*)$/m.exec(stdout)?.[1] ?? '';
    assert.not.match(kept, /messages|jobs/, kept);
    assert.match(kept, / None$/, 'no session on the window manager');
  });

  life('a CLI call returns at once and is finished later: Call.poll, and a flow driven by its timer', async ({ dir, env, module }) => {
    // a stand-in CLI that answers only once its go-file exists: nothing can finish before the test says so
    const go = path.join(dir, 'go');
    const waiter = path.join(dir, 'render-waits');
    await writeFile(waiter, `#!/bin/sh\nwhile [ ! -e "${go}" ]; do sleep 0.05; done\necho '{"n": 1}'\n`);
    await chmod(waiter, 0o755);
    const { stdout } = await python(env, `import importlib, os, types
cli = importlib.import_module(${JSON.stringify(module)} + '.cli')
flows = importlib.import_module(${JSON.stringify(module)} + '.flows')
call = cli.Call([${JSON.stringify(waiter)}], ['list'])
assert call.poll() is None
open(${JSON.stringify(go)}, 'w').close()
print('WAITED', call.wait()[0])
os.remove(${JSON.stringify(go)})
ticks, got = [], []
flows.bpy = types.SimpleNamespace(app=types.SimpleNamespace(timers=types.SimpleNamespace(register=lambda fn, **_: ticks.append(fn))))
def steps():
    first, _ = yield (['list'], '')
    second, _ = yield (['list'], '')
    return first['n'] + second['n']
flows.run_later([${JSON.stringify(waiter)}], steps(), lambda value, error: got.append((value, error)))
assert got == [] and len(ticks) == 1, (got, ticks)
assert ticks[0]() == flows.POLL_S
open(${JSON.stringify(go)}, 'w').close()
while ticks[0]() is not None:
    pass
print('FLOW', got)`);
    assert.match(stdout, "WAITED {'n': 1}");
    assert.match(stdout, 'FLOW [(2, None)]');
  });
}
