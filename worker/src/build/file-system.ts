import type { FileSystem } from "@cloudflare/worker-bundler";

/**
 * A bundler/TypeScript file system: a read-only base (the seeded node_modules)
 * under a small writable layer (one build's files). Sharing the base avoids
 * copying ~650 seeded files into a fresh map on every build.
 */
export class OverlayFileSystem implements FileSystem {
  private readonly layer = new Map<string, string>();

  /** `listBase: false` hides the base from `list()` with no prefix (TypeScript roots every listed file). */
  constructor(
    private readonly base: ReadonlyMap<string, string>,
    private readonly options: { listBase: boolean } = { listBase: true },
  ) {}

  read(path: string): string | null {
    return this.layer.get(path) ?? this.base.get(path) ?? null;
  }

  write(path: string, content: string | { data: Uint8Array }): void {
    if (typeof content !== "string") throw new Error(`OverlayFileSystem holds text only (${path})`);
    this.layer.set(path, content);
  }

  delete(path: string): void {
    this.layer.delete(path);
  }

  list(prefix?: string): string[] {
    const result: string[] = [];
    for (const path of this.layer.keys()) if (prefix === undefined || path.startsWith(prefix)) result.push(path);
    if (prefix === undefined && !this.options.listBase) return result;
    for (const path of this.base.keys()) {
      if ((prefix === undefined || path.startsWith(prefix)) && !this.layer.has(path)) result.push(path);
    }
    return result;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
}
