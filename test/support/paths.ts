// Where the package's binaries and the shared fixtures are, seen from dist/test/support/ (tests run compiled).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDER_BIN = path.join(REPO_ROOT, 'bin', 'render');
export const RENDERD_BIN = path.join(REPO_ROOT, 'bin', 'renderd');
/** The real .blend fixtures (2.48–5.03): in shared/ beside the checkout (CI's ../shared, /work/shared here). */
export const FIXTURES_DIR = path.join(path.dirname(REPO_ROOT), 'shared', 'fixtures', 'blend');
