import type { FileSystem } from "@cloudflare/worker-bundler";

/**
 * The type-checker's file system: the seeded declarations as a read-only base
 * under a writable layer (the builds' files). Sharing the base avoids copying
 * ~280 seeded files per build.
 */
export class OverlayFileSystem implements FileSystem {
  private readonly layer = new Map<string, string>();

  constructor(private readonly base: ReadonlyMap<string, string>) {}

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

  /**
   * With no prefix, only the layer: `createTypescriptLanguageService` makes every
   * listed .ts file a root, and the seeded declarations must load only on demand.
   * With a prefix (TypeScript asking whether a folder exists), both.
   */
  list(prefix?: string): string[] {
    const result: string[] = [];
    for (const path of this.layer.keys()) if (prefix === undefined || path.startsWith(prefix)) result.push(path);
    if (prefix === undefined) return result;
    for (const path of this.base.keys()) if (path.startsWith(prefix) && !this.layer.has(path)) result.push(path);
    return result;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
}
