// Which node may run which job now lives in jobs/eligibility.ts, below the daemon, the doctor and the
// ui that all read it. Kept for daemon/ files importing './eligibility.js' (split's and busy2's, mid-
// split): the lead points them at ../jobs/eligibility.js after merging and deletes this file.
export * from '../jobs/eligibility.js';
