// documents/: the farm as JSON documents, one schema and one source for `render list|show|nodes --json`
// and the web server's GET /api/…, and the order `render log` and the web page read a job's logs in.
export { listDocument } from './list.js';
export { showDocument } from './show.js';
export { nodesDocument } from './nodes.js';
export { orderLogs, type LogFile } from './logs.js';
