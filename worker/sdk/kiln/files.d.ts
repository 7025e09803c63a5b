/** A stored file as `list()` and `put()` describe it; `uploaded` is ISO-8601. */
export interface FileInfo { name: string; size: number; contentType: string; uploaded: string }

/**
 * `env.FILES`: this app's files in this environment (preview and live are separate), at most 25 MB each, 1 GB and
 * 10,000 files in all. Names are paths like "photos/cat.jpg" (no "..", no leading "/").
 */
export interface AppFiles {
  /** Stores (or replaces) a file: a File from `await c.req.formData()`, a string, bytes or a stream. */
  put(name: string, body: Blob | string | ArrayBuffer | Uint8Array | ReadableStream, options?: { contentType?: string }): Promise<FileInfo>;
  /** The file as a Response with safe download headers (return it as is), or null. */
  get(name: string): Promise<Response | null>;
  /** Files by name, at most 1,000 a call; page with `after` (the last name seen). */
  list(options?: { prefix?: string; limit?: number; after?: string }): Promise<FileInfo[]>;
  delete(name: string): Promise<boolean>;
  /** A signed link on this app's host (`/_kiln/files/…`) that works until `expiresIn` seconds (default 3600, at most a week) for visitors the app's access rule lets in. */
  url(name: string, options?: { expiresIn?: number }): Promise<string>;
}
