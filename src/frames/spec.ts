// Frame specs as users type them: `1-100`, `1-100x5`, `1,5,9-12`, `-10--1`.
import { UsageError } from '../errors.js';

/** Upper bound on frames in one spec, so `1-999999999` is a clear error and not an OOM. */
export const MAX_FRAMES = 1_000_000;

const RANGE = /^(-?\d+)(?:-(-?\d+)(?:x(\d+))?)?$/;

/** Parses a frame spec into the ordered list of frames it names (duplicates dropped). */
export function parseFrameSpec(rawSpec: string): number[] {
  const spec = String(rawSpec).trim();
  if (spec === '') throw new UsageError('frame spec is empty (expected e.g. 1-100, 1-100x5 or 1,5,9-12)');
  const frames: number[] = [];
  const seen = new Set<number>();
  for (const part of spec.split(',')) {
    const match = RANGE.exec(part.trim());
    if (!match) throw new UsageError(`frame spec '${spec}': '${part}' is not a frame, a range a-b or a stepped range a-bxN`);
    const start = Number(match[1]);
    const end = match[2] === undefined ? start : Number(match[2]);
    const step = match[3] === undefined ? 1 : Number(match[3]);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) throw new UsageError(`frame spec '${spec}': '${part}' is out of range`);
    if (end < start) throw new UsageError(`frame spec '${spec}': range '${part}' ends before it starts`);
    if (step < 1) throw new UsageError(`frame spec '${spec}': step in '${part}' must be at least 1`);
    if ((end - start) / step + frames.length >= MAX_FRAMES) throw new UsageError(`frame spec '${spec}' names more than ${MAX_FRAMES} frames`);
    for (let frame = start; frame <= end; frame += step) {
      if (!seen.has(frame)) { seen.add(frame); frames.push(frame); }
    }
  }
  return frames;
}

/** The most compact spec for a list of frames: runs with a common step become `a-b` or `a-bxN`. */
export function formatFrameSpec(frames: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < frames.length) {
    const start = frames[i];
    if (i + 1 >= frames.length) { parts.push(String(start)); break; }
    const step = frames[i + 1] - start;
    let j = i + 1;
    while (j + 1 < frames.length && frames[j + 1] - frames[j] === step) j++;
    // a stepped run gives up its last frame when that frame starts a contiguous range: 1,5,9-12
    if (step !== 1 && j + 1 < frames.length && frames[j + 1] - frames[j] === 1) j--;
    const count = j - i + 1;
    if (step > 0 && (count >= 3 || (step === 1 && count === 2))) {
      parts.push(step === 1 ? `${start}-${frames[j]}` : `${start}-${frames[j]}x${step}`);
      i = j + 1;
    } else {
      parts.push(String(start));
      i++;
    }
  }
  return parts.join(',');
}

export interface FrameRun {
  start: number;
  end: number;
  /** The common step when the frames form one arithmetic run, else 0. */
  step: number;
}

/** First, last and step of a chunk's frames; step 0 means the frames are not one evenly spaced run. */
export function describeFrames(frames: readonly number[]): FrameRun {
  const start = frames[0];
  const end = frames[frames.length - 1];
  if (frames.length === 1) return { start, end, step: 1 };
  const step = frames[1] - frames[0];
  const even = step > 0 && frames.every((frame, i) => i === 0 || frame - frames[i - 1] === step);
  return { start, end, step: even ? step : 0 };
}
