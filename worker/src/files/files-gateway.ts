import { WorkerEntrypoint } from "cloudflare:workers";
import type { FileEntry } from "../data/file-index";
import { FileError } from "./file-error";
import { checkFileName } from "./file-names";
import { readCurrentFile } from "./current-file";
import { type FileScopeProps, fileScope, uploadIdOf, uploadObjectKey } from "./file-scope";
import { DEFAULT_LINK_SECONDS, FILE_QUOTA, MAX_LINK_SECONDS, quotaError } from "./file-limits";
import { signFileLink } from "./file-links";
import { fileResponse } from "./file-response";
import type { FilesBackend } from "./files-backend";
import { contentTypeFor } from "./file-types";
import { uploadBody } from "./upload-body";

/** Whose files a gateway serves; set by Kiln when it builds the app isolate's `env.FILES`, never by app code. */
export type AppFilesProps = FileScopeProps;

/** The options an app may pass to `put` (the contract declares the common ones). */
interface PutOptions {
  contentType?: string;
}

/**
 * An app's `env.FILES`: put, get, list, delete and signed links, over RPC. Every key is composed from the props
 * Kiln set (files/file-scope.ts), so an app reaches only its own environment's files, and a build's trial only its
 * scratch ones; each upload is measured and reserved against the quotas in the scope's database before a byte is
 * stored, and written to its own object, so the index (which names the current object) and the bucket agree.
 * Each Worker exports a subclass that supplies its backend (where the bucket and the link key come from) to the
 * constructor: kept in a private field, since every public method of an entrypoint is callable by the app.
 */
export class FilesGateway<E> extends WorkerEntrypoint<E, AppFilesProps> {
  readonly #backendOf: (env: E) => FilesBackend;

  constructor(ctx: ExecutionContext<AppFilesProps>, env: E, backendOf: (env: E) => FilesBackend) {
    super(ctx, env);
    this.#backendOf = backendOf;
  }

  #backend(): FilesBackend {
    return this.#backendOf(this.env);
  }

  /** Stores `body` under `name`, replacing any file of that name; answers what was stored. */
  async put(name: string, body: unknown, options?: PutOptions): Promise<FileEntry> {
    const scope = fileScope(this.ctx.props);
    checkFileName(name);
    const backend = this.#backend();
    const upload = await uploadBody(body, FILE_QUOTA.maxFileBytes);
    const contentType = contentTypeFor(name, options?.contentType ?? upload.type);
    const index = backend.index(scope.database);
    const uploadId = crypto.randomUUID();
    const objectKey = uploadObjectKey(scope, name, uploadId);
    const reserved = await index.reserveFile(name, upload.size, FILE_QUOTA, uploadId);
    if ("refused" in reserved) throw quotaError(reserved, upload.size);
    try {
      await backend.bucket.put(objectKey, upload.body, upload.size, contentType);
    } catch (error) {
      await index.releaseFile(reserved.token);
      throw new FileError("unavailable", `The file could not be stored: ${describe(error)}. Try again.`);
    }
    const committed = await index.commitFile(reserved.token, objectKey, contentType, new Date().toISOString());
    if (!committed) {
      // Nothing counts these bytes: the index never pointed at them, so no other upload or read can need them.
      await backend.bucket.delete([objectKey]);
      throw new FileError("unavailable", "The upload took too long and was not recorded. Try again.");
    }
    // The replaced upload's object is no file any more; a failed delete leaves bytes no read can reach, not a wrong file.
    if (committed.replacedObject)
      await backend.bucket.delete([committed.replacedObject]).catch((error) => {
        console.error(`[files] replaced object not deleted: ${describe(error)}`);
      });
    return committed.entry;
  }

  /** The file as a response with safe headers (stream it to a visitor as is), or null when there is none. */
  async get(name: string): Promise<Response | null> {
    const scope = fileScope(this.ctx.props);
    checkFileName(name);
    const backend = this.#backend();
    const read = await readCurrentFile(backend.bucket, backend.index(scope.database), name);
    return read.file ? fileResponse(name, read.file) : null;
  }

  /** Stored files by name (at most 1,000 a call; page with `after`, the last name seen). */
  async list(options?: { prefix?: string; limit?: number; after?: string }): Promise<FileEntry[]> {
    const scope = fileScope(this.ctx.props);
    const limit = Math.min(Math.max(Math.trunc(Number(options?.limit ?? 1000)) || 1000, 1), 1000);
    return this.#backend()
      .index(scope.database)
      .listFiles({ prefix: String(options?.prefix ?? ""), limit, after: String(options?.after ?? "") });
  }

  /** Deletes a file; answers whether there was one. */
  async delete(name: string): Promise<boolean> {
    const scope = fileScope(this.ctx.props);
    checkFileName(name);
    const backend = this.#backend();
    const objectKey = await backend.index(scope.database).forgetFile(name);
    if (objectKey !== null) await backend.bucket.delete([objectKey]);
    return objectKey !== null;
  }

  /**
   * A link on the app's own host that lets a visitor (who passes the app's access rule) fetch this upload of the file
   * until it expires; once the file is replaced or deleted the link opens nothing (serving/serve-file.ts).
   */
  async url(name: string, options?: { expiresIn?: number }): Promise<string> {
    const scope = fileScope(this.ctx.props);
    checkFileName(name);
    const seconds = Number(options?.expiresIn ?? DEFAULT_LINK_SECONDS);
    if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_LINK_SECONDS)
      throw new FileError("invalid_link", `expiresIn is in seconds, from 1 to ${MAX_LINK_SECONDS} (a week).`);
    const expires = Math.floor(Date.now() / 1000) + Math.ceil(seconds);
    const backend = this.#backend();
    const objectKey = await backend.index(scope.database).fileObject(name);
    if (objectKey === null)
      throw new FileError("not_found", `There is no file named "${name}" to link to: store it with put() first.`);
    return signFileLink(await backend.linkKey(), scope.link, { name, upload: uploadIdOf(objectKey) }, expires);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
