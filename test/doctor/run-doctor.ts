// Runs `render doctor --json` on a spool and finds a check in its answer.
import * as assert from 'uvu/assert';
import { runRender } from '../support/index.js';

export const DOCTOR_TIMEOUT_MS = 150_000;

export interface DoctorJson { status: string; checks: Array<{ id: string; status: string; found: string; advice: string }> }

export async function doctor(spool: string): Promise<{ code: number; json: DoctorJson }> {
  const result = await runRender(['--spool', spool, 'doctor', '--json'], { timeoutMs: DOCTOR_TIMEOUT_MS });
  assert.ok(result.stdout.startsWith('{'), `doctor printed JSON: ${result.stdout}${result.stderr}`);
  return { code: result.code, json: JSON.parse(result.stdout) as DoctorJson };
}

export function check(json: DoctorJson, id: string) {
  const found = json.checks.find((c) => c.id === id);
  assert.ok(found, `a check ${id} in ${json.checks.map((c) => c.id).join(', ')}`);
  return found!;
}

