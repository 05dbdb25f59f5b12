// Reports: per-node append-only stats of every attempt, their aggregation into per-job, per-node and
// throughput figures, text / SVG / HTML renderings, job-level notification hooks, and list filters.
export { statsDir, statsFile, jobEventsLog } from './paths.js';
export { attemptStatOf, formatStatLine, parseStatLine, MAX_STAT_LINE_BYTES, type AttemptStat, type AttemptEvent } from './stat-line.js';
export { appendAttemptStat, createStatsRecorder, type StatsRecorder } from './stats-writer.js';
export { readStats, parseStatsText, type StatsRead } from './stats-reader.js';
export { aggregateStats, type FarmReport, type AggregateOptions } from './aggregate.js';
export { type JobStats } from './job-stats.js';
export { type NodeStats, type KnownNode } from './node-stats.js';
export { type ThroughputBucket } from './throughput.js';
export { boxSummary, histogram, quantile } from './distribution.js';
export { sparkline, blockBar } from './sparkline.js';
export { formatTextReport } from './text-report.js';
export { reportSvg, reportCharts } from './charts/index.js';
export { htmlReport } from './html-report.js';
export { jobReportHtml, frameCells, type JobReportInput, type FrameCell } from './job-report.js';
export { loadFarmReport, countMalformed } from './load.js';
// job-hooks.ts (runJobHooks, createJobEventRunner) runs processes and loads execa: import it directly,
// so commands that only read reports (render list, render stats) start fast.
export { jobHookNames, jobHookEnvironment, jobStatusOf } from './job-hook-env.js';
export { resolveJobFilter, filterJobs, globToRegExp, isFiltering, type JobFilter, type RawListFilter } from './job-filter.js';
export { jobsSeenOnNode } from './node-jobs.js';
