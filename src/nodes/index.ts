// Nodes: who this process is, the machine's figures, and the nodes/ registry on the spool.
export { currentIdentity, localProcessState, newInstanceId, processStartTime, type ProcessIdentity } from './host.js';
export { SystemSampler, cpuPercentBetween, type SystemFigures } from './sysinfo.js';
export { readNodeRecords, writeNodeRecord, removeNodeRecord, readNodeControl, writeNodeControl } from './registry.js';
