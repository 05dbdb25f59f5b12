// `render ui`: the composition root of the terminal ui. The spool context, the clock, the blessed
// screen and the process's signals are wired here and nowhere else. Parts:
//   model/  pure: rows, bars, columns, ETA, filters, sorting, selection, layout, the whole screen
//   farm/   spool reads (jobs, nodes, chunks, log tails) and the actions keys take
//   screen/ blessed: panes, dialogs, file browser, keys and mouse, the refresh loop
import blessed from 'blessed';
import { systemClock } from '../liveness/clock.js';
import type { FarmContext } from '../claim/context.js';
import { LockManager } from '../claim/mutex.js';
import { openSpool } from '../spool/open.js';
import { farmActions } from './farm/actions.js';
import { FarmReader } from './farm/reader.js';
import { PreviewReader } from './farm/previews.js';
import { detectGraphics } from '../previews/terminal/detect.js';
import { UiApp } from './screen/app.js';
import { captureConsole } from './screen/console.js';

export interface UiOptions {
  spoolDir: string;
  /** Where the file browser starts and where `a` resolves project hooks, like `render add`. */
  cwd: string;
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

const QUIT_SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;

export async function runUi(options: UiOptions): Promise<void> {
  const layout = await openSpool(options.spoolDir);
  let app: UiApp | undefined;
  // a quarantined file or a stray console line goes to the status line: the terminal is blessed's
  const early: string[] = [];
  const log = (line: string) => (app ? app.notify(line, 'warn') : early.push(line));
  const ctx: FarmContext = { layout, clock: systemClock, log, locks: new LockManager(systemClock, log) };
  const screen = blessed.screen({ input: options.input, output: options.output, smartCSR: true, title: 'renderd', warnings: false });
  const restoreConsole = captureConsole(log);
  const quit = () => app?.stop();
  for (const signal of QUIT_SIGNALS) process.on(signal, quit);
  try {
    app = new UiApp({
      screen, reader: new FarmReader(ctx), actions: farmActions(ctx, options.cwd), clock: systemClock, wallMs: Date.now,
      spool: layout.root, cwd: options.cwd, unicode: useUnicode(screen), previews: new PreviewReader(layout, detectGraphics(process.env)),
    });
    const running = app.start();
    for (const line of early) app.notify(line, 'warn');
    await running;
  } finally {
    for (const signal of QUIT_SIGNALS) process.removeListener(signal, quit);
    screen.destroy();
    restoreConsole();
  }
}

/**
 * Whether the terminal takes UTF-8 (blessed reads the locale). If so, lines are drawn in UTF-8 rather
 * than the alternate character set, as ncurses does under NCURSES_NO_UTF8_ACS (which still decides
 * when set): every current terminal draws them, and tmux captures them as they look.
 */
function useUnicode(screen: blessed.Widgets.Screen): boolean {
  const tput = (screen as unknown as { tput?: { unicode?: boolean; brokenACS?: boolean } }).tput;
  const unicode = Boolean(tput?.unicode);
  if (tput && unicode && process.env.NCURSES_NO_UTF8_ACS === undefined) tput.brokenACS = true;
  return unicode;
}
