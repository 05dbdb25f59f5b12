// The page's calls to the server: documents, actions with the token (a header, never a cookie), and
// the token itself, kept in this browser's localStorage by whoever pasted it.
const TOKEN_KEY = 'renderd.webToken';

export function savedToken(): string {
  try { return localStorage.getItem(TOKEN_KEY) ?? ''; } catch { return ''; } // storage off (private mode): ask each time
}

export function saveToken(token: string): void {
  try { localStorage.setItem(TOKEN_KEY, token.trim()); } catch { /* storage off: the field still holds it */ }
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error((await res.text()).trim() || `${res.status}`);
  return (await res.json()) as T;
}

export interface ActionOutcome { ok: boolean; line: string }

/** POSTs an action; the outcome line is the server's own (its result, or why it refused). */
export async function postAction(url: string, body: unknown = {}): Promise<ActionOutcome> {
  const token = savedToken();
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!res.ok) return { ok: false, line: (await res.text()).trim() || `HTTP ${res.status}` };
    const result = (await res.json()) as { id: string; result: string };
    return { ok: true, line: `${result.id}: ${result.result}` };
  } catch (error) {
    return { ok: false, line: `the server did not answer: ${(error as Error).message}` };
  }
}

export interface LogPart { text: string; size: number; start: number; attempt: number }

export async function getLog(job: string, chunk: string, from: number, attempt?: number): Promise<LogPart | undefined> {
  const query = new URLSearchParams({ from: String(from) });
  if (attempt !== undefined) query.set('attempt', String(attempt));
  const res = await fetch(`/api/jobs/${encodeURIComponent(job)}/chunks/${encodeURIComponent(chunk)}/log?${query}`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error((await res.text()).trim());
  return { text: await res.text(), size: Number(res.headers.get('X-Log-Size')), start: Number(res.headers.get('X-Log-Start')), attempt: Number(res.headers.get('X-Log-Attempt')) };
}
