// Every key of the ui and what it does: the screen binds from this table and `?` prints it.

export const ACTIONS = [
  'up', 'down', 'pageUp', 'pageDown', 'home', 'end', 'nextPane', 'previousPane', 'open',
  'showJobs', 'showChunks', 'showNodes', 'showLog',
  'priorityUp', 'priorityDown', 'togglePause', 'retry', 'remove', 'add', 'nodeControl',
  'filter', 'clearFilter', 'sort', 'help', 'quit',
] as const;
export type Action = (typeof ACTIONS)[number];

export interface KeyBinding { keys: readonly string[]; action: Action; label: string; help: string }

// key names as blessed reports them
export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: ['up', 'k'], action: 'up', label: 'Up/k', help: 'previous row' },
  { keys: ['down', 'j'], action: 'down', label: 'Down/j', help: 'next row' },
  { keys: ['pageup'], action: 'pageUp', label: 'PgUp', help: 'page up' },
  { keys: ['pagedown'], action: 'pageDown', label: 'PgDn', help: 'page down' },
  { keys: ['home', 'g'], action: 'home', label: 'Home/g', help: 'first row' },
  { keys: ['end', 'S-g'], action: 'end', label: 'End/G', help: 'last row' },
  { keys: ['tab', 'right'], action: 'nextPane', label: 'Tab/Right', help: 'next pane: jobs, chunks, nodes, log' },
  { keys: ['S-tab', 'left'], action: 'previousPane', label: 'S-Tab/Left', help: 'previous pane' },
  { keys: ['enter'], action: 'open', label: 'Enter', help: 'job: its chunks; chunk: its log' },
  { keys: ['1'], action: 'showJobs', label: '1', help: 'jobs pane' },
  { keys: ['2'], action: 'showChunks', label: '2', help: 'chunks of the selected job' },
  { keys: ['3'], action: 'showNodes', label: '3', help: 'nodes pane' },
  { keys: ['4'], action: 'showLog', label: '4', help: 'log of the selected chunk' },
  { keys: ['+', '='], action: 'priorityUp', label: '+', help: 'raise the job\'s priority' },
  { keys: ['-', '_'], action: 'priorityDown', label: '-', help: 'lower the job\'s priority' },
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
  ['n', 'node', 9], ['/', 'find', 3], ['?', 'help', 1], ['q', 'quit', 0],
];

export function actionForKey(key: string): Action | undefined {
  return KEY_BINDINGS.find((b) => b.keys.includes(key))?.action;
}

export function helpLines(): string[] {
  return KEY_BINDINGS.map((b) => `${b.label.padEnd(11)} ${b.help}`);
}
