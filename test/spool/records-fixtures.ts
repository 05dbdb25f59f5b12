// What the record tests import from src/spool, in one place.
export { parseChunkRecord, parseControlRecord, parseJobRecord, parseNodeRecord, serialize } from '../../src/spool/records.js';
export { readInfoFile, MAX_INFO_FILE_BYTES as MAX_INFO_FILE_BYTES_FOR_TEST } from '../../src/spool/atomic.js';
export { isSafeName } from '../../src/spool/layout.js';
