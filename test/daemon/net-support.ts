// Separate "hosts" on one kernel, for the peer tests and the wake benchmark. Each host is a network
// namespace on a private bridge (10.250.0.0/24, reachable only from the lab's own namespaces); its
// renderd also gets its own pid, uts, user and mount namespaces, a boot id of its own (bind-mounted over
// /proc/sys/kernel/random/boot_id) and no inotify (max_inotify_instances 0 in its user namespace). So:
//   - the same-kernel pid shortcut (nodes/host.ts localProcessState) says 'unknown': liveness must come
//     from heartbeats and sockets;
//   - tools see another boot id and skip the node's Unix socket (nodes/tell.ts): they wake it over TCP;
//   - the node sees no inotify events, as on NFS: only a wake message or its poll finds new work.
// Tools (`render`, the probe) run in a third namespace, `tool`. Everything the lab creates is removed by
// destroy(), and by an exit hook if a test dies first; namespaces left by a killed run are removed by
// the next one (their names carry the creating pid).
export { NetLab, netnsAvailable } from './net-lab.js';
export { HostNode, type NetHost, type HostNodeOptions, type NodeRecordJson } from './net-host.js';
export { liveProcesses, liveMatching, waitGroupsGone, type ProcessEntry } from './net-processes.js';
export { Stamps, median, type Stamp } from './net-stamps.js';
