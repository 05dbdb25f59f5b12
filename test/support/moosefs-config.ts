// The configuration files of a test MooseFS (3.0.117, Debian bookworm), as text: pure functions of the
// folders and addresses. Keys from mfsmaster.cfg(5), mfschunkserver.cfg(5), mfsexports.cfg(5), mfshdd.cfg(5).

/** Debian's seed for a new filesystem: the master refuses to start without a metadata.mfs. */
export const EMPTY_METADATA_FILE = '/var/lib/mfs/metadata.mfs.empty';

/** The client port of the master (stock 9421); the chunkserver's own listening port is stock 9422. */
export const MASTER_CLIENT_PORT = 9421;

export interface MasterConfig {
  dataPath: string;
  exportsFile: string;
  topologyFile: string;
  /** The address every master module listens on (the test host's). */
  listenAddress: string;
}

// Daemons run as root (as the test does): the stock `mfs` user could not write the test's temp dir.
const AS_ROOT = ['WORKING_USER = root', 'WORKING_GROUP = root'];

export function masterConfig(config: MasterConfig): string {
  return lines([
    ...AS_ROOT,
    `DATA_PATH = ${config.dataPath}`,
    `EXPORTS_FILENAME = ${config.exportsFile}`,
    `TOPOLOGY_FILENAME = ${config.topologyFile}`,
    `MATOML_LISTEN_HOST = ${config.listenAddress}`,
    `MATOCS_LISTEN_HOST = ${config.listenAddress}`,
    `MATOCL_LISTEN_HOST = ${config.listenAddress}`,
  ]);
}

/** Read-write for the test subnet only, root left root (the stock default maps it to 999:999). */
export function exportsConfig(subnet: string): string {
  return lines([`${subnet} / rw,alldirs,admin,maproot=0:0`]);
}

export interface ChunkserverConfig {
  dataPath: string;
  hddFile: string;
  masterAddress: string;
  /** This machine's end of the veth: the master refuses a chunkserver that reaches it from 127.0.0.1. */
  bindAddress: string;
}

export function chunkserverConfig(config: ChunkserverConfig): string {
  return lines([
    ...AS_ROOT,
    `DATA_PATH = ${config.dataPath}`,
    `HDD_CONF_FILENAME = ${config.hddFile}`,
    // stock 256MiB: a tmp folder with less free space would be refused; 0 only draws a warning
    'HDD_LEAVE_SPACE_DEFAULT = 0',
    `MASTER_HOST = ${config.masterAddress}`,
    // stock 5 s: after an outage writes wait for the chunkserver to be back with the master
    'MASTER_RECONNECTION_DELAY = 1',
    `BIND_HOST = ${config.bindAddress}`,
    `CSSERV_LISTEN_HOST = ${config.bindAddress}`,
  ]);
}

/** One storage folder, with no size limit of its own. */
export function hddConfig(folder: string): string {
  return lines([folder]);
}

const lines = (entries: string[]) => `${entries.join('\n')}\n`;
