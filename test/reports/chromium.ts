// Headless Chromium (Debian's, installed by .ci/run) taking a screenshot of a page, with a fresh
// profile and nothing fetched from the network.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
const SCREENSHOT_TIMEOUT_MS = 90_000;

export function screenshot(html: string, png: string, profile: string, size = '1200,900'): Promise<string> {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, `--screenshot=${png}`, `--window-size=${size}`,
    '--hide-scrollbars', `file://${html}`];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM!, args, { timeout: SCREENSHOT_TIMEOUT_MS, killSignal: 'SIGKILL' }, (error, stdout, stderr) =>
      (error ? reject(new Error(`chromium: ${error.message}\n${stderr}`)) : resolve(stderr)));
  });
}

