// While blessed owns the terminal, a console.log from anywhere would scribble over the screen:
// console output goes to the status line instead until the ui closes.
import { format } from 'node:util';

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Routes console output to `sink`; returns the function that puts the console back. */
export function captureConsole(sink: (line: string) => void): () => void {
  const saved = METHODS.map((name) => [name, console[name]] as const);
  for (const name of METHODS) console[name] = (...args: unknown[]) => sink(format(...args));
  return () => { for (const [name, method] of saved) console[name] = method; };
}
