// The web token: derived from the farm key (HMAC, so the key itself never travels), the same on every
// server of the farm; whoever can read the key can print it (`render web token`). Sent as
// `Authorization: Bearer <token>`, never a cookie: a page elsewhere cannot make a browser send it.
import crypto from 'node:crypto';
import { readFarmKey } from '../peers/key.js';

/** Changing this label changes every farm's token: a new purpose gets a new label, never reuses this one. */
const TOKEN_LABEL = 'renderd web token v1';

export function deriveWebToken(farmKey: Buffer): string {
  return crypto.createHmac('sha256', farmKey).update(TOKEN_LABEL).digest('hex');
}

export async function readWebToken(spoolDir: string): Promise<string> {
  return deriveWebToken(await readFarmKey(spoolDir));
}

export type TokenCheck = { ok: true } | { ok: false; reason: string };

/** Whether an Authorization header carries the token; compared in constant time. */
export function checkBearer(header: string | undefined, token: string | undefined): TokenCheck {
  if (token === undefined) return { ok: false, reason: 'this server cannot read the farm key: actions are off' };
  if (!header) return { ok: false, reason: 'no token (Authorization: Bearer <token>; render web token prints it)' };
  const match = /^Bearer\s+([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return { ok: false, reason: 'malformed token (Authorization: Bearer <64 hex digits>)' };
  const given = Buffer.from(match[1].toLowerCase(), 'hex');
  const wanted = Buffer.from(token, 'hex');
  return crypto.timingSafeEqual(given, wanted) ? { ok: true } : { ok: false, reason: 'wrong token' };
}
