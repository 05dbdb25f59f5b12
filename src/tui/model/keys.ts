// Every key of the ui and what it does: the screen binds from this table and `?` prints it.

export const ACTIONS = [
  'up', 'down', 'pageUp', 'pageDown', 'home', 'end', 'nextPane', 'previousPane', 'open',
  'showJobs', 'showChunks', 'showNodes', 'showLog',
  'priorityUp', 'priorityDown', 'togglePause', 'retry', 'remove', 'add', 'nodeControl',
  'filter', 'clearFilter', 'sort', 'help', 'quit', 'mark', 'markUp', 'markDown', 'markAll',
] as const;
export type Action = (typeof ACTIONS)[number];

export interface KeyBinding {
  keys: readonly string[];
  action: Action;
  label: string;
  help: string;
  /** Bindings that share a group share one help line, so the help fits 80x24. */
  group?: string;
}

// key names as blessed reports them
export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: ['up', 'k'], action: 'up', label: 'Up Down', help: 'previous / next row (also k j)', group: 'rows' },
  { keys: ['down', 'j'], action: 'down', label: '', help: '', group: 'rows' },
  { keys: ['pageup'], action: 'pageUp', label: 'PgUp PgDn', help: 'a page up / down', group: 'pages' },
  { keys: ['pagedown'], action: 'pageDown', label: '', help: '', group: 'pages' },
  { keys: ['home', 'g'], action: 'home', label: 'Home End', help: 'first / last row (also g G)', group: 'ends' },
  { keys: ['end', 'S-g'], action: 'end', label: '', help: '', group: 'ends' },
  { keys: ['tab', 'right'], action: 'nextPane', label: 'Tab S-Tab', help: 'next / previous pane (also Right Left)', group: 'panes' },
  { keys: ['S-tab', 'left'], action: 'previousPane', label: '', help: '', group: 'panes' },
  { keys: ['1'], action: 'showJobs', label: '1 2 3 4', help: 'jobs, chunks, nodes, log pane', group: 'numbers' },
  { keys: ['2'], action: 'showChunks', label: '', help: '', group: 'numbers' },
  { keys: ['3'], action: 'showNodes', label: '', help: '', group: 'numbers' },
  { keys: ['4'], action: 'showLog', label: '', help: '', group: 'numbers' },
  { keys: ['enter'], action: 'open', label: 'Enter', help: 'job: its chunks; chunk: its log' },
  { keys: ['space'], action: 'mark', label: 'Spc * S-↕', help: 'mark job, all shown, while moving; p r d + - act on marks', group: 'marks' },
  { keys: ['*'], action: 'markAll', label: '', help: '', group: 'marks' },
  { keys: ['S-up'], action: 'markUp', label: '', help: '', group: 'marks' },
  { keys: ['S-down'], action: 'markDown', label: '', help: '', group: 'marks' },
  { keys: ['+', '='], action: 'priorityUp', label: '+ -', help: 'raise / lower the job\'s priority', group: 'priority' },
  { keys: ['-', '_'], action: 'priorityDown', label: '', help: '', group: 'priority' },
  { keys: ['p'], action: 'togglePause', label: 'p', help: 'pause / resume the job' },
  { keys: ['r'], action: 'retry', label: 'r', help: 'retry the job\'s failed chunks' },
  { keys: ['d', 'delete'], action: 'remove', label: 'd', help: 'remove the job (asks first)' },
  { keys: ['a'], action: 'add', label: 'a', help: 'add a .blend (file browser)' },
  { keys: ['n'], action: 'nodeControl', label: 'n', help: 'pause / drain / resume the node' },
  { keys: ['/'], action: 'filter', label: '/', help: 'filter the pane: words, key:word, !word' },
  { keys: ['escape'], action: 'clearFilter', label: 'Esc', help: 'clear the pane\'s filter' },
  { keys: ['s'], action: 'sort', label: 's', help: 'jobs order: farm, newest, name, progress' },
  { keys: ['?', 'h'], action: 'help', label: '?', help: 'this help' },
  { keys: ['q', 'C-c'], action: 'quit', label: 'q', help: 'quit' },
];

/** The footer's reminder: key and what it does, in this order; the last ones go first when narrow. */
export const KEY_HINTS: readonly (readonly [key: string, meaning: string, keepRank: number])[] = [
  ['Tab', 'pane', 2], ['+/-', 'prio', 4], ['p', 'pause', 5], ['r', 'retry', 6], ['d', 'del', 7], ['a', 'add', 8],
  ['n', 'node', 9], ['/', 'find', 3], ['?', 'help', 1], ['q', 'quit', 0], ['Spc', 'mark', 10],
];

export function actionForKey(key: string): Action | undefined {
  return KEY_BINDINGS.find((b) => b.keys.includes(key))?.action;
}

/** One line per binding, or per group of bindings (its first one speaks for it). */
export function helpLines(): string[] {
  return KEY_BINDINGS.filter((b, i) => !b.group || KEY_BINDINGS.findIndex((o) => o.group === b.group) === i)
    .map((b) => `${b.label.padEnd(10)} ${b.help}`);
}
