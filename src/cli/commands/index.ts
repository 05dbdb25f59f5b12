// Every `render` sub-command, one file each. Add a command with one line here.
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { registerAdd } from './add.js';
import { registerInit } from './init.js';
import { registerDemo } from './demo.js';
import { registerExec } from './exec.js';
import { registerList } from './list.js';
import { registerShow } from './show.js';
import { registerWait } from './wait.js';
import { registerLog } from './log.js';
import { registerControl } from './control.js';
import { registerNodes } from './nodes.js';
import { registerLicense } from './license.js';
import { registerSubmit } from './submit.js';
import { registerInspect } from './inspect.js';
import { registerStats } from './stats.js';
import { registerUi } from './ui.js';
import { registerAddon } from './addon.js';
import { registerPreview } from './preview.js';
import { registerReport } from './report.js';
import { registerService } from './service.js';
import { registerDoctor } from './doctor.js';
import { registerClean } from './clean.js';
import { registerWeb } from './web.js';
import { registerTilesMerge } from './tiles-merge.js';

type Register = (program: Command, cli: Cli) => void;

const commands: Register[] = [
  registerAdd,
  registerInit,
  registerDemo,
  registerExec,
  registerList,
  registerShow,
  registerWait,
  registerLog,
  registerControl,
  registerNodes,
  registerLicense,
  registerSubmit,
  registerInspect,
  registerStats,
  registerUi,
  registerService,
  registerAddon,
  registerPreview,
  registerReport,
  registerDoctor,
  registerClean,
  registerWeb,
  registerTilesMerge,
];

export function registerCommands(program: Command, cli: Cli): void {
  for (const register of commands) register(program, cli);
}
