// The systemd unit of a render node, made in one place: `render service install|--print` writes it,
// and templates/renderd.service is this with the reference values (a test keeps them equal).
import { UsageError } from '../errors.js';

export interface UnitSpec {
  /** The unprivileged user the node runs as. */
  user: string;
  /** Absolute spool path: passed as --spool, and its mount is required before the node starts. */
  spool: string;
  /** The command that starts renderd, without its flags (e.g. [node, /usr/lib/node_modules/renderd/bin/renderd]). */
  command: string[];
  /** renderd flags after --spool. */
  flags: string[];
}

/** What templates/renderd.service is made from. */
export const REFERENCE_UNIT: UnitSpec = {
  user: 'renderd',
  spool: '/srv/render/spool',
  command: ['/usr/bin/env', 'renderd'],
  flags: ['--slots', '1', '--nice', '10'],
};

export const UNIT_NAME = 'renderd.service';

/** One word of a unit setting: quoted when it must be, `%` doubled (systemd specifiers), no newlines. */
export function unitWord(word: string): string {
  if (/[\n\r\0]/.test(word)) throw new UsageError(`a systemd unit cannot hold a line break: ${JSON.stringify(word)}`);
  const escaped = word.replace(/%/g, '%%');
  if (escaped !== '' && !/[\s"'\\;$]/.test(escaped)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '$$$$')}"`;
}

export function renderUnit(spec: UnitSpec): string {
  if (!spec.spool.startsWith('/')) throw new UsageError(`the spool of a service must be an absolute path, got '${spec.spool}'`);
  const exec = [...spec.command, '--spool', spec.spool, ...spec.flags].map(unitWord).join(' ');
  return `# renderd render node, a systemd system unit: \`render service install\` writes it to
# /etc/systemd/system/${UNIT_NAME} and enables it (\`render service install --print\` only prints it).
[Unit]
Description=renderd render node (spool ${spec.spool.replace(/%/g, '%%')})
# the network and remote filesystems first, and the spool's own mount (an NFS mount in a studio)
After=network-online.target remote-fs.target
Wants=network-online.target
RequiresMountsFor=${unitWord(spec.spool)}

[Service]
User=${unitWord(spec.user)}
ExecStart=${exec}
# SIGTERM lets running chunks finish; after TimeoutStopSec they are killed and given back.
KillSignal=SIGTERM
TimeoutStopSec=300
Restart=on-failure
RestartSec=5
# the node's log goes to the journal: journalctl -u ${UNIT_NAME.replace(/\.service$/, '')}
StandardOutput=journal
StandardError=journal
SyslogIdentifier=renderd

[Install]
WantedBy=multi-user.target
`;
}
