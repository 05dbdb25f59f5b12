// The CLI parses option values with the job domain's parsers (shared with the API and job graphs).
export { parseWholeNumber, parseDuration, formatDuration, collect, parseBytes, parseStartAt } from '../jobs/values.js';
