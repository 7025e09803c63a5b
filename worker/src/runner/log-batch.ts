import type { NewLogEntry } from "../logs/log-store";

/** Options of a log batch. */
export interface LogBatchOptions {
  /** How long a line may wait for others before the batch is sent. */
  delayMs: number;
  /** A batch this large is sent at once. */
  maxBatch: number;
  /** Lines held while the control plane does not take them; the oldest are dropped past this. */
  maxHeld: number;
}

const DEFAULTS: LogBatchOptions = { delayMs: 250, maxBatch: 500, maxHeld: 10_000 };

/** What a batch holds: log lines and request rows, stamped with when they happened when they are not yet. */
type Stampable = object & { timestamp?: string };

/**
 * Gathers app log lines (and request-log rows) in the runner and ships them to the control plane in batches: a busy app costs one
 * call per batch, never one per request. Lines still waiting when the runner is killed are lost (a quarter
 * second's worth); the supervisor's own report says what stopped the runner.
 */
export class LogBatch<T extends object = NewLogEntry> {
  #held: T[] = [];
  #waiting = false;
  readonly #options: LogBatchOptions;

  readonly #collect: (() => T[]) | undefined;

  /** `collect` answers what was gathered elsewhere since the last send (request counts), sent with each batch. */
  constructor(
    private readonly send: (entries: T[]) => Promise<void>,
    options: Partial<LogBatchOptions> & { collect?: () => T[] } = {},
  ) {
    const { collect, ...rest } = options;
    this.#options = { ...DEFAULTS, ...rest };
    this.#collect = collect;
  }

  /**
   * Queues lines (`collected`: something was gathered for `collect`, so a batch must go even with no line).
   * The request that starts a batch keeps itself alive (`waitUntil`) until the batch is sent; later lines
   * ride along, so no request waits on a promise of another.
   */
  add(entries: T[], waitUntil: (promise: Promise<unknown>) => void, collected = false): void {
    if (entries.length === 0 && !collected) return;
    const stamped = entries.map((entry) =>
      (entry as Stampable).timestamp ? entry : { ...entry, timestamp: new Date().toISOString() },
    );
    this.#held.push(...stamped);
    if (this.#held.length > this.#options.maxHeld) this.#held.splice(0, this.#held.length - this.#options.maxHeld);
    if (this.#held.length >= this.#options.maxBatch) {
      waitUntil(this.flush());
      return;
    }
    if (this.#waiting) return;
    this.#waiting = true;
    waitUntil(
      new Promise<void>((resolve) => setTimeout(resolve, this.#options.delayMs)).then(() => {
        this.#waiting = false;
        return this.flush();
      }),
    );
  }

  /** Sends every held line now, a batch at a time; a failed batch is put back for the next try. */
  async flush(): Promise<void> {
    const collected = this.#collect?.() ?? [];
    if (collected.length > 0) this.#held.push(...collected);
    while (this.#held.length > 0) {
      const batch = this.#held.splice(0, this.#options.maxBatch);
      try {
        await this.send(batch);
      } catch {
        this.#held.unshift(...batch.slice(0, this.#options.maxHeld - this.#held.length));
        return;
      }
    }
  }
}
