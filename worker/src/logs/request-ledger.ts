import type { NewRequestEntry, RequestTally } from "./request-records";

/**
 * Between the tail and the control plane: every request is counted (per app, environment and minute, for the
 * chart), but only some become rows of the request log — every error, and up to `rowsPerSecond` others a second
 * per app. A busy app then costs its runner a counter bump per request and the control plane a few rows a second,
 * not a database row per visit (measured: a row per request took a fifth of a warm app's throughput).
 */

/** Rows kept per app environment and second besides errors, by default. */
export const SAMPLED_ROWS_PER_SECOND = 10;

/** Counts requests and picks the rows to keep; drained into the runner's batch each time it is sent. */
export class RequestLedger {
  #tallies = new Map<string, RequestTally>();
  #kept = new Map<string, { second: number; rows: number }>();

  constructor(private readonly rowsPerSecond = SAMPLED_ROWS_PER_SECOND) {}

  /** Counts `rows` and answers the ones the request log keeps: every error (4xx, 5xx, no answer) and a sample. */
  keep(rows: readonly NewRequestEntry[]): NewRequestEntry[] {
    const kept: NewRequestEntry[] = [];
    for (const row of rows) {
      const at = Date.parse(row.timestamp);
      const scope = `${row.appId}\n${row.environment}`;
      this.#count(scope, row, at);
      const error = row.status === null || row.status >= 400;
      if (error || this.#underRate(scope, Math.floor(at / 1000))) kept.push(row);
    }
    return kept;
  }

  /** The counts gathered since the last drain (then forgotten: each is sent once). */
  drain(): RequestTally[] {
    const tallies = [...this.#tallies.values()];
    this.#tallies.clear();
    return tallies;
  }

  #count(scope: string, row: NewRequestEntry, at: number): void {
    const minute = new Date(Math.floor(at / 60_000) * 60_000).toISOString();
    const key = `${scope}\n${minute}`;
    let tally = this.#tallies.get(key);
    if (!tally) {
      tally = { appId: row.appId, environment: row.environment, minute, requests: 0, serverErrors: 0, clientErrors: 0 };
      this.#tallies.set(key, tally);
    }
    tally.requests += 1;
    if (row.status === null || row.status >= 500) tally.serverErrors += 1;
    else if (row.status >= 400) tally.clientErrors += 1;
  }

  #underRate(scope: string, second: number): boolean {
    const window = this.#kept.get(scope);
    if (!window || window.second !== second) {
      // One entry per app environment: the map stays as small as the set of apps this runner serves.
      this.#kept.set(scope, { second, rows: 1 });
      return this.rowsPerSecond > 0;
    }
    window.rows += 1;
    return window.rows <= this.rowsPerSecond;
  }
}
