import type { AppTarget } from "./app-runner";

/**
 * Which app isolates a runner keeps warm: the `max` most recently used. Shared by every request of the runner's
 * isolate (module state), so it sees the whole runner's traffic. Evicted isolates load again on their next
 * request (a few milliseconds), so the bound trades a cold start for a neighbour's memory.
 */
export class IsolateLru {
  readonly #targets = new Map<string, AppTarget>();

  constructor(readonly max: number) {}

  /** Notes a use of isolate `id`; returns the isolates to unload now to stay within the bound, oldest first. */
  use(id: string, target: AppTarget): AppTarget[] {
    this.#targets.delete(id);
    this.#targets.set(id, target);
    const evicted: AppTarget[] = [];
    while (this.#targets.size > this.max) {
      const [oldest, oldTarget] = this.#targets.entries().next().value as [string, AppTarget];
      this.#targets.delete(oldest);
      evicted.push(oldTarget);
    }
    return evicted;
  }

  /** Isolates held warm now. */
  get size(): number {
    return this.#targets.size;
  }
}
