import type { ServedApp } from "../serving/served-app";

/** A row as the control plane sends it: the app at a slug (null: none) and when it was read. */
export interface RouteRow {
  app: ServedApp | null;
  /** Epoch ms when the control plane read the row; a newer row always wins over an older one. */
  revision: number;
}

/** Where rows come from when the table has none (the control plane's database). */
export type RouteSource = (slug: string) => Promise<RouteRow>;

/** Options of a routing table. */
export interface RouteTableOptions {
  /** How long a row is trusted; null: until the control plane pushes a newer one (one runner isolate, locally). */
  ttlMs: number | null;
  /** Rows kept; the least recently used go first (they are read again on their next request). */
  maxRows: number;
}

const DEFAULTS: RouteTableOptions = { ttlMs: null, maxRows: 50_000 };

/**
 * The runner's host → app table. The control plane pushes a row whenever what a slug serves changes, so a
 * visitor's request is answered from memory; a slug never seen (or evicted, or after a restart) is read once.
 * On Cloudflare a push reaches one isolate of the runner, so rows there also expire (`ttlMs`).
 */
export class RouteTable {
  readonly #rows = new Map<string, RouteRow & { readAt: number }>();
  readonly #options: RouteTableOptions;

  constructor(
    private readonly source: RouteSource,
    options: Partial<RouteTableOptions> = {},
  ) {
    this.#options = { ...DEFAULTS, ...options };
  }

  /** The app at `slug`, from memory when the table has a trusted row. */
  async lookup(slug: string): Promise<ServedApp | null> {
    const row = this.#rows.get(slug);
    if (row && (this.#options.ttlMs === null || Date.now() - row.readAt < this.#options.ttlMs)) {
      // Re-inserted so that Map order is least recently used first.
      this.#rows.delete(slug);
      this.#rows.set(slug, row);
      return row.app;
    }
    // Each request reads for itself: a read shared across requests would tie one visitor's request to another's.
    const read = await this.source(slug);
    // A push that arrived while this read was under way is newer: put() keeps it.
    this.put(slug, read);
    return this.#rows.get(slug)?.app ?? read.app;
  }

  /** Takes a row the control plane pushed; an older row than the one held is ignored. */
  put(slug: string, row: RouteRow): void {
    const held = this.#rows.get(slug);
    if (held && held.revision > row.revision) return;
    this.#rows.delete(slug);
    this.#rows.set(slug, { ...row, readAt: Date.now() });
    while (this.#rows.size > this.#options.maxRows) this.#rows.delete(this.#rows.keys().next().value as string);
  }

  /** Rows held now (for the health report). */
  get size(): number {
    return this.#rows.size;
  }
}
