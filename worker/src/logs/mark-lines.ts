// The runner's request marks (isolates/request-marks.ts) are console lines of its own in the app's isolate; the logs
// must know them to leave them out, so their prefix is defined here, below both.

/** Every marked line starts with this; app log lines that do are dropped, so marks (or forged ones) never show. */
export const MARK_PREFIX = "KILN_MARK ";

/** True for a console line that is a request mark (real or forged): never kept as an app log line. */
export function isMarkLine(message: unknown): boolean {
  return typeof message === "string" && message.startsWith(MARK_PREFIX);
}
