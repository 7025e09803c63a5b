/** A stored file's bytes and what serving them needs. */
export interface StoredFile {
  body: ReadableStream<Uint8Array>;
  size: number;
  contentType: string;
  /** ISO-8601 time of the upload. */
  uploaded: string;
  etag: string;
}

/**
 * Where file bytes live, reduced to what Kiln uses: R2 where the Worker binds the bucket, or the control plane's
 * binding over RPC where it cannot (the local runner is a bare workerd process with no R2 simulator). Keys are
 * composed by Kiln (files/file-names.ts), never taken from an app.
 */
export interface FileBucket {
  put(key: string, body: ReadableStream<Uint8Array> | ArrayBuffer, size: number, contentType: string): Promise<void>;
  get(key: string): Promise<StoredFile | null>;
  delete(keys: string[]): Promise<void>;
}

/** A FileBucket over an R2 binding. Streams get a fixed length, which R2 asks of any stream it stores. */
export function r2FileBucket(bucket: R2Bucket): FileBucket {
  return {
    async put(key, body, size, contentType) {
      const sized = body instanceof ArrayBuffer ? body : body.pipeThrough(new FixedLengthStream(size));
      await bucket.put(key, sized, { httpMetadata: { contentType } });
    },
    async get(key) {
      const object = await bucket.get(key);
      if (!object) return null;
      return {
        body: object.body,
        size: object.size,
        contentType: object.httpMetadata?.contentType ?? "application/octet-stream",
        uploaded: object.uploaded.toISOString(),
        etag: object.httpEtag,
      };
    },
    async delete(keys) {
      for (let at = 0; at < keys.length; at += 1000) await bucket.delete(keys.slice(at, at + 1000));
    },
  };
}

/** Deletes every object under `prefix` (an app deleted); pages through the listing, 1,000 keys at a time. */
export async function deletePrefix(bucket: R2Bucket, prefix: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor });
    if (page.objects.length > 0) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}
