// Where the package's binaries are, seen from dist/test/support/ (tests run compiled).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDER_BIN = path.join(REPO_ROOT, 'bin', 'render');
export const RENDERD_BIN = path.join(REPO_ROOT, 'bin', 'renderd');
