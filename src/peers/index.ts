// Peers: authenticated messages between nodes and tools over TCP and Unix sockets (farm invariant 8).
//   key        the spool's farm key: ensureFarmKey (create once, never overwrite), readFarmKey
//   messages   the message union, its body validators and which reply answers which request
//   codec      encodeMessage / decodeMessage: one line of canonical JSON + HMAC-SHA256, pure
//   replay     ReplayGuard: ±15 min ts window + bounded memory of seen nonces
//   framing    LineReader: newline framing with a hard line cap
//   server     startPeerServer: the listening edge (TCP and/or Unix socket)
//   client     sendRequest: one request, one reply, failures as results
export { ensureFarmKey, readFarmKey, farmKeyPath, FarmKeyError, FARM_KEY_FILE } from './key.js';
export {
  PROTOCOL_VERSION, NODE_ACTIONS, NODE_STATES, REQUEST_TYPES, REPLY_TYPES, REPLIES_TO, isRequestType, isReplyType,
  type Message, type RequestMessage, type ReplyMessage, type RequestDraft, type ReplyDraft, type MessageType,
  type RequestType, type ReplyType, type BodyByType, type StatusReplyBody, type RunningChunk, type MemoryUse,
  type NodeAction, type NodeState, type Recipient,
} from './messages.js';
export { encodeMessage, decodeMessage, FARM_KEY_BYTES, type DecodeContext, type DecodeResult, type DecodeFailure } from './codec.js';
export { validateMessage, composeRequest, composeReply, newNonce, type Origin } from './envelope.js';
export { canonicalJson } from './canonical.js';
export { SAFE_NAME } from './fields.js';
export { ReplayGuard, TS_WINDOW_MS, DEFAULT_MAX_NONCES, type ReplayVerdict } from './replay.js';
export { LineReader, DEFAULT_MAX_LINE_BYTES, type LineResult } from './framing.js';
export { systemClock, readClock, type Clock, type ClockReading } from './clock.js';
export { startPeerServer, DEFAULT_MAX_CONNECTIONS, DEFAULT_READ_TIMEOUT_MS, type PeerServer, type PeerServerOptions } from './server.js';
export type { PeerHandler, PeerInfo, PeerLog } from './connection.js';
export { sendRequest, DEFAULT_REQUEST_TIMEOUT_MS, type PeerAddress, type SendRequestOptions, type SendResult, type SendFailure } from './client.js';
