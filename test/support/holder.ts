// A claim holder for tests that claim chunks in-process: this process, a fresh instance, under `node`'s name.
import { currentIdentity, newInstanceId } from '../../src/nodes/host.js';
import type { Holder } from '../../src/spool/records.js';

export const testHolder = (node: string): Holder => ({ node, instance: newInstanceId(), ...currentIdentity() });
