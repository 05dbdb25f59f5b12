// Shared by the tests that touch disk or processes: temp spools, the real binaries, renderd fleets,
// timeouts and ledgers.
export { REPO_ROOT, RENDER_BIN, RENDERD_BIN } from './paths.js';
export { withTimeout, waitUntil, sleep } from './wait.js';
export { makeTempSpool, withTempSpool, writeScript, type TempSpool } from './spool.js';
export { runRender, runRenderBinary, runRenderHere, renderJson, submitExec, showJob, waitJobEnded, waitForJob, isFinished, CLI_TIMEOUT_MS, type RunResult, type ShowJson, type ChunkJson, type ChunkCountsJson } from './cli.js';
export { Fleet, NodeProcess, withFleet, canUnsharePids, LIBFAKETIME, type NodeOptions, type Exit } from './nodes.js';
export { Ledger, parseLedger, attemptsOf, overlappingAttempts, completionProblems, completionProblemsWithKills, processesMatching, processesOfNode, killMatching, type Attempt, type LedgerEvent } from './ledger.js';
