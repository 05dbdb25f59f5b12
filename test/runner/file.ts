// One test file in a process of its own: uvu's suites run, then the process ends. A file that leaves a
// handle open (a timer, a socket, a child) would keep its process, and the run, waiting: it is named and ended.
import { pathToFileURL } from 'node:url';

// what uvu's own CLI sets: suites queue instead of running at import
(globalThis as { UVU_DEFER?: number }).UVU_DEFER = 1;
const uvu = await import('uvu');
(globalThis as unknown as { UVU_QUEUE: unknown[][] }).UVU_QUEUE.push([null]);
await import(pathToFileURL(process.argv[2]).href);
await uvu.exec();

// a clean file's loop drains at once; the grace covers an `after` that ends its children without awaiting them
const DRAIN_GRACE_MS = 10_000;
setTimeout(() => {
  const open = process.getActiveResourcesInfo().filter((kind) => kind !== 'Timeout');
  process.stderr.write(`test: ${process.argv[2]} left ${open.join(', ') || 'timers'} open ${DRAIN_GRACE_MS / 1000} s after its last test; ended\n`);
  process.exit(process.exitCode ?? 0);
}, DRAIN_GRACE_MS).unref();
