// `render nodes [--json]` and `render node pause|resume|drain NODE`.
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { bytes, table } from '../format.js';
import { readNodeRecords, writeNodeControl } from '../../nodes/registry.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { isSafeName } from '../../spool/layout.js';
import { controlNode } from '../../notify/index.js';
import { nodesDocument } from '../../documents/index.js';
import type { NodeRecord } from '../../spool/records.js';

export function registerNodes(program: Command, cli: Cli): void {
  const list = withCommonOptions(program.command('nodes').description('list render nodes with their load, memory and swap'), { json: true });
  list.action(async (opts: { json?: boolean }) => {
    const ctx = await openFarm(cli, list);
    const nodes = [...(await readNodeRecords(ctx.layout, ctx.log)).values()].sort((a, b) => a.name.localeCompare(b.name));
    if (opts.json) return cli.json(nodesDocument(nodes));
    if (nodes.length === 0) return cli.out('no nodes');
    cli.out(table(nodes.map((n) => [n.name, n.state, n.host, `${n.running.length}/${n.slots}`, n.pool ?? '',
      n.sys ? `${n.sys.cpuPercent}%` : '', n.sys ? `${bytes(n.sys.mem.used)}/${bytes(n.sys.mem.total)}` : '',
      n.sys ? `${bytes(n.sys.swap.used)}/${bytes(n.sys.swap.total)}` : '', n.sys ? n.sys.load.join(' ') : '']),
    ['NODE', 'STATE', 'HOST', 'SLOTS', 'POOL', 'CPU', 'MEM', 'SWAP', 'LOAD']));
  });

  const node = program.command('node').description('pause, resume or drain a node');
  for (const action of ['pause', 'resume', 'drain'] as const) {
    const command = withCommonOptions(node.command(action).argument('<node>'), { json: true })
      .description({ pause: 'stop claiming new chunks', resume: 'claim again', drain: 'finish running chunks, then claim nothing' }[action]);
    command.action(async (name: string, opts: { json?: boolean }) => {
      if (!isSafeName(name)) throw new UsageError(`'${name}' is not a node name`);
      const ctx = await openFarm(cli, command);
      const nodes = await readNodeRecords(ctx.layout, ctx.log);
      if (!nodes.has(name)) throw new NotFoundError(`no node '${name}' on spool ${ctx.layout.root} (render nodes lists them)`);
      const state = action === 'pause' ? 'paused' : action === 'drain' ? 'draining' : 'running';
      await writeNodeControl(ctx.layout, name, state);
      await controlNode(ctx, nodes.get(name)!, action);
      if (opts.json) cli.json({ node: name, state });
      else cli.out(`${name}: ${state}`);
    });
  }
}

