// A chunk's progress from Blender's output, one line at a time. Pure: no I/O, no clock.

// What each Blender prints (docs/blender-notes.md; the 3.4 lines are captured in
// test/blender/fixtures/, the 2.x ones come from Cycles' session.cpp):
//   2.7x–2.9x  Fra:1 Mem:15.45M (0.00M, Peak 15.96M) | Time:00:00.20 | ... | Scene, RenderLayer | Path Tracing Tile 5/20
//   3.x–4.5    Fra:1 Mem:9.94M (Peak 10.83M) | Time:00:00.07 | Mem:0.78M, Peak:0.78M | Scene, ViewLayer | Sample 1/1   (Cycles)
//              Fra:1 Mem:10.75M (Peak 11.86M) | Time:00:05.42 | Rendering 4 / 4 samples                                (EEVEE)
//              Fra:1 Mem:... | Rendered 2/4 Tiles, Sample 16/32         (Cycles, image bigger than one tile)
//   all        Saved: '/tmp/out/f_01.png'
//               Time: 00:00.21 (Saving: 00:00.17)
//              skipping existing frame "/tmp/out/f_01.png"              (render.use_overwrite off; `Skipping` from 5.0)
//   5.0+       the same after a `00:04.230  render           | ` prefix, with `Fra: 1 | Mem: 1699M | Sample 1/128`
//              (no Peak figure: the largest Mem is the peak seen).
const LOG_PREFIX_5_0 = /^(?:\d{2}:){1,2}\d{2}\.\d{3}\s+\S+\s+\|\s/;
const TERMINAL_COLOR = /\x1b\[[0-9;]*m/g;
const FRAME = /^Fra:\s?(-?\d+)/;
const SAMPLE_CYCLES = /\bSample (\d+)\/(\d+)/;
const SAMPLE_EEVEE = /\bRendering (\d+) \/ (\d+) samples/;
const TILE_2X = /\bTile (\d+)\/(\d+)/;
const TILE_CYCLES_X = /\bRendered (\d+)\/(\d+) Tiles/;
const MEMORY = /\b(?:Mem|Peak)[:\s]\s*(\d+(?:\.\d+)?)([KMGT]?)/g;
const SAVED = /^Saved: '(.*)'$/;
const SKIPPED = /^[Ss]kipping existing frame "(.*)"$/;

const MB_PER_UNIT: Readonly<Record<string, number>> = { K: 1 / 1024, '': 1, M: 1, G: 1024, T: 1024 * 1024 };

export interface ChunkProgress {
  /** The frame Blender is on (last `Fra:` line), null before the first. */
  frame: number | null;
  /**
   * Frames whose output is there: one per frame with a `Saved:` line (a stereo frame saves
   * twice, counted once), plus frames skipped because their output existed. `Saved:` rather
   * than ` Time:`, because Blender prints ` Time:` even when the save failed.
   */
  framesDone: number;
  /** Progress within the current frame: samples, or tiles for tiled renders (samples restart per tile). */
  sample: { done: number; total: number } | null;
  /** Largest memory figure seen, in MiB (Blender's and the render device's peaks). */
  peakMemMB: number | null;
  lastSaved: string | null;
  savedFiles: string[];
  /** The frame the last counted `Saved:` belonged to, so a second file of one frame is not counted. */
  lastSavedFrame: number | null;
}

export function initialProgress(): ChunkProgress {
  return { frame: null, framesDone: 0, sample: null, peakMemMB: null, lastSaved: null, savedFiles: [], lastSavedFrame: null };
}

/** One line of Blender's output in, the new state out: the same object when the line changes nothing. */
export function reduceProgress(state: ChunkProgress, rawLine: string): ChunkProgress {
  const line = rawLine.replace(TERMINAL_COLOR, '').trimEnd().replace(LOG_PREFIX_5_0, '');
  const saved = SAVED.exec(line);
  if (saved) return recordSaved(state, saved[1]);
  if (SKIPPED.test(line)) return { ...state, framesDone: state.framesDone + 1 };
  const frame = FRAME.exec(line);
  return frame ? recordStatus(state, line, Number(frame[1])) : state;
}

/** Folds a whole log (e.g. a finished chunk's) into its progress. */
export function progressOfLog(log: string): ChunkProgress {
  return log.split('\n').reduce(reduceProgress, initialProgress());
}

function recordSaved(state: ChunkProgress, file: string): ChunkProgress {
  const sameFrame = state.frame !== null && state.frame === state.lastSavedFrame;
  return {
    ...state,
    framesDone: sameFrame ? state.framesDone : state.framesDone + 1,
    lastSavedFrame: state.frame,
    lastSaved: file,
    savedFiles: [...state.savedFiles, file],
  };
}

function recordStatus(state: ChunkProgress, line: string, frame: number): ChunkProgress {
  const newFrame = frame !== state.frame;
  const sample = parseSample(line) ?? (newFrame ? null : state.sample);
  const memory = parsePeakMemoryMB(line);
  const peakMemMB = memory === null || (state.peakMemMB !== null && state.peakMemMB >= memory) ? state.peakMemMB : memory;
  const sampleSame = sample === state.sample || (sample !== null && state.sample !== null
    && sample.done === state.sample.done && sample.total === state.sample.total);
  if (!newFrame && sampleSame && peakMemMB === state.peakMemMB) return state;
  return { ...state, frame, sample: sampleSame ? state.sample : sample, peakMemMB };
}

function parseSample(line: string): { done: number; total: number } | null {
  const match = TILE_CYCLES_X.exec(line) ?? TILE_2X.exec(line) ?? SAMPLE_CYCLES.exec(line) ?? SAMPLE_EEVEE.exec(line);
  return match ? { done: Number(match[1]), total: Number(match[2]) } : null;
}

/** The largest `Mem`/`Peak` figure of a status line, in MiB. */
export function parsePeakMemoryMB(line: string): number | null {
  let peak: number | null = null;
  for (const [, amount, unit] of line.matchAll(MEMORY)) {
    const mb = Number(amount) * MB_PER_UNIT[unit];
    if (peak === null || mb > peak) peak = mb;
  }
  return peak;
}
