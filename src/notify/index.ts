// notify/: telling nodes at once what changed on the spool (new work, a job stopped, a node control),
// best-effort on top of the spool, which stays the truth. Used by every way a user changes the farm:
// the CLI, the ui, the web page.
export { wakePeers, wakeAfterQueueing, stopJobChunks, controlNode } from './wake.js';
