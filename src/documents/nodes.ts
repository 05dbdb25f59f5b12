// The document `render nodes --json` prints and GET /api/nodes serves.
import type { NodeRecord } from '../spool/records.js';

/** The document `render nodes --json` prints and `GET /api/nodes` serves: one schema, one source. */
export function nodesDocument(nodes: NodeRecord[]) {
  return nodes.map((n) => ({ ...n, port: n.address?.port ?? null }));
}
