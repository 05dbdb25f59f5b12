// What key and mouse handlers may do to the running ui. The app implements it; commands.ts and
// mouse.ts depend on this and not on the app, so the app can import them without a cycle.
import type blessed from 'blessed';
import type { Clock } from '../../liveness/clock.js';
import type { FarmActions } from '../farm/actions.js';
import type { FarmReader } from '../farm/reader.js';
import type { PreviewReader } from '../farm/previews.js';
import type { Tone } from '../model/columns.js';
import type { UiState } from '../model/state.js';
import type { ScreenView } from '../model/view.js';

export interface AppDeps {
  screen: blessed.Widgets.Screen;
  reader: FarmReader;
  actions: FarmActions;
  clock: Pick<Clock, 'monotonicMs'>;
  /** Wall time for display (elapsed, ETA, the header's clock). */
  wallMs: () => number;
  spool: string;
  cwd: string;
  unicode: boolean;
  /** Frame previews; none in tests that do not draw them. */
  previews?: PreviewReader;
}

export interface UiHandle {
  readonly deps: AppDeps;
  readonly state: UiState;
  readonly view?: ScreenView;
  /** Set while a dialog has the keyboard. */
  modal: boolean;
  /** Sets the state and repaints; reads the new selection's details shortly after. */
  update(state: UiState): void;
  render(): void;
  notify(text: string, tone?: Tone): void;
  /** Runs a farm action after the ones before it; its result or error goes to the status line. */
  runAction(work: () => Promise<string>): Promise<void>;
  stop(): void;
}
