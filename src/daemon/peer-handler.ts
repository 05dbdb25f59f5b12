// What a node does with each authenticated message. Nothing a message carries is executed or used as
// a path: job and chunk names are only compared with the chunks this node is running, a doctor's
// probe name only with the names in a listing.
import type { BodyByType, ReplyDraft, RequestMessage, StatusReplyBody, NodeAction } from '../peers/index.js';

export interface NodeSurface {
  wake(): void;
  status(): StatusReplyBody;
  /** Re-reads the node's control file (written by the tool before it sent the message). */
  control(action: NodeAction): void;
  /** Stops matching running chunks and gives them back; returns how many. */
  stopChunks(job: string, chunk: string | undefined, token: string | undefined, reason: string): number;
  isRunning(job: string, chunk: string, token: string): boolean;
  doctor(probe: string | undefined): Promise<BodyByType['doctor-reply']>;
  /** This node's instance id, named in its liveness replies. */
  instance: string;
}

export async function handlePeerMessage(node: NodeSurface, msg: RequestMessage): Promise<ReplyDraft> {
  switch (msg.type) {
    case 'wake':
      node.wake();
      return { type: 'ok', body: {} };
    case 'status-request':
      return { type: 'status-reply', body: node.status() };
    case 'node-control':
      node.control(msg.body.action);
      return { type: 'ok', body: {} };
    case 'stop-chunk':
      node.stopChunks(msg.body.job, msg.body.chunk, msg.body.token, msg.body.reason);
      return { type: 'ok', body: {} };
    case 'liveness-request':
      return { type: 'liveness-reply', body: { running: node.isRunning(msg.body.job, msg.body.chunk, msg.body.token), instance: node.instance } };
    case 'doctor-request':
      return { type: 'doctor-reply', body: await node.doctor(msg.body.probe) };
  }
}
