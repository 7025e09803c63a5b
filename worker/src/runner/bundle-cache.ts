import type { AppBundle } from "../compiler";

/** What a bundle source answers for one version: its code, or null when storage has none. */
export type LoadBundle = () => Promise<AppBundle | null>;

/**
 * The code of recently started versions, kept in the runner up to `maxBytes` of source, least recently used out.
 * A version's code never changes, so an isolate that was unloaded to save memory starts again without asking the
 * control plane (a round trip and a storage read each time). Concurrent starts of one version share one load.
 */
export class BundleCache {
  readonly #entries = new Map<string, { bundle: AppBundle; bytes: number }>();
  readonly #loading = new Map<string, Promise<AppBundle | null>>();
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  /** The bundle of `key` (`<app>:<version>`), from memory or from `load`; a missing one is not remembered. */
  async get(key: string, load: LoadBundle): Promise<AppBundle | null> {
    const held = this.#entries.get(key);
    if (held) {
      this.#entries.delete(key);
      this.#entries.set(key, held);
      return held.bundle;
    }
    const pending = this.#loading.get(key);
    if (pending) return pending;
    const loading = load().finally(() => this.#loading.delete(key));
    this.#loading.set(key, loading);
    const bundle = await loading;
    if (bundle) this.#keep(key, bundle);
    return bundle;
  }

  /** Bytes of source held now. */
  get bytes(): number {
    return this.#bytes;
  }

  #keep(key: string, bundle: AppBundle): void {
    if (this.#entries.has(key)) return;
    let bytes = bundle.mainModule.length;
    for (const [name, source] of Object.entries(bundle.modules)) bytes += name.length + source.length;
    // One bundle larger than the whole cache is simply not kept.
    if (bytes > this.maxBytes) return;
    this.#entries.set(key, { bundle, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }
}
