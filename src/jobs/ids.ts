// Job ids sort by submission time (base-36 milliseconds, fixed width until 2059) plus a random tail.
import { randomBytes } from 'node:crypto';

export function newJobId(nowMs: number): string {
  const time = nowMs.toString(36).padStart(8, '0');
  const tail = (randomBytes(4).readUInt32BE(0) % 36 ** 4).toString(36).padStart(4, '0');
  return `${time}${tail}`;
}
