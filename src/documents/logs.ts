// A job's log files in the order `render log` prints them and GET /api/jobs/<id>/chunks/<c>/log pages them.

const LOG_NAME = /^(.+)\.(\d+)\.log$/;

export interface LogFile { chunk: string; attempt: number; name: string }

/** Log files of a job in chunk, then attempt order; only those of `chunk` when given. */
export function orderLogs(names: string[], chunk?: string): LogFile[] {
  return names.flatMap((name) => {
    const match = LOG_NAME.exec(name);
    return match ? [{ chunk: match[1], attempt: Number(match[2]), name }] : [];
  }).filter((f) => !chunk || f.chunk === chunk || Number(f.chunk) === Number(chunk))
    .sort((a, b) => (a.chunk < b.chunk ? -1 : a.chunk > b.chunk ? 1 : a.attempt - b.attempt));
}
