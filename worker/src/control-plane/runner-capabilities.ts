import { WorkerEntrypoint } from "cloudflare:workers";
import { visitorPages } from "../access/visitor-pages";
import type { AppBundle } from "../compiler";
import type { EgressProps } from "../egress/egress-props";
import { handleEgress } from "../egress/egress-proxy";
import type { Env, Environment } from "../core/env";
import { type NewLogEntry, appendLogs } from "../logs/log-store";
import { type TailRecord, storeTailRecords } from "../logs/request-store";
import { loadBundle } from "../isolates/bundle-store";
import { readServedApp } from "../serving/app-lookup";
import type { ServedApp } from "../serving/served-app";
import type { SnippetProps } from "../isolates/app-runner";
import type { GatewayAnswer } from "../mcp/operation-call";
import { callKilnApi } from "./kiln-api-call";
import { type StoredFile, r2FileBucket } from "../files/file-bucket";
import { FileError } from "../files/file-error";
import { deriveLinkKeyBytes } from "../files/file-links";

/**
 * What the separate runner process may ask of the control plane: bundles,
 * routing-table rows, the egress decision and log storage (app databases it reaches directly). App code never holds
 * this binding; the runner's own entrypoints call it with props Kiln set.
 */
export class RunnerCapabilities extends WorkerEntrypoint<Env> {
  /** A version's code, read once when the runner starts that version's isolate. */
  bundle(appId: string, version: string): Promise<AppBundle | null> {
    return loadBundle(this.env.BUNDLES, appId, version);
  }

  /** The row of the runner's routing table for `slug`, read when the runner has none (first request, restart). */
  async route(slug: string): Promise<{ app: ServedApp | null; revision: number }> {
    const revision = Date.now();
    return { app: await readServedApp(this.env.DB, slug), revision };
  }

  /** Decides and performs (or refuses) one outbound call of an app, exactly as in single-process mode. */
  egress(props: EgressProps, request: Request): Promise<Response> {
    return handleEgress(this.env, props, request, (work) => this.ctx.waitUntil(work));
  }

  /** Kiln's sign-in pages under `/_kiln/` of an app host, relayed by the runner (invites, codes and mail live here). */
  visitorPages(request: Request, slug: string, environment: Environment): Promise<Response> {
    return visitorPages(this.env, request, slug, environment);
  }

  /** The key that signs apps' file links (derived from the master key), fetched once per runner isolate. */
  fileLinkKey(): Promise<ArrayBuffer> {
    return deriveLinkKeyBytes(this.env.KILN_MASTER_KEY);
  }

  /** Stores a file's bytes for a runner without its own bucket (local); keys were composed by the runner. */
  filePut(
    key: string,
    body: ReadableStream<Uint8Array> | ArrayBuffer,
    size: number,
    contentType: string,
  ): Promise<void> {
    return r2FileBucket(this.env.APP_FILES).put(filesKey(key), body, size, contentType);
  }

  /** A stored file's bytes, or null. */
  fileGet(key: string): Promise<StoredFile | null> {
    return r2FileBucket(this.env.APP_FILES).get(filesKey(key));
  }

  /** Deletes stored files. */
  fileDelete(keys: string[]): Promise<void> {
    return r2FileBucket(this.env.APP_FILES).delete(keys.map(filesKey));
  }

  /** One `kiln.*` call of an MCP snippet running in the runner (`runner/kiln-api-gateway.ts`), with the props Kiln set. */
  kilnApi(props: SnippetProps, name: string, input: unknown): Promise<GatewayAnswer> {
    return callKilnApi(this.env, this.ctx, props, name, input);
  }

  /** Stores a batch of app log lines gathered by the runner's tails. */
  appendLogs(entries: NewLogEntry[]): Promise<void> {
    return appendLogs(this.env.DB, entries.slice(0, 1000));
  }

  /** Stores a batch of the runner's tails: log lines and request-log rows (`runner/log-batch.ts`). */
  appendTail(records: TailRecord[]): Promise<void> {
    return storeTailRecords(this.env.DB, records.slice(0, 1000));
  }
}

// Only app files: whatever else shares the bucket one day stays out of the runner's reach.
function filesKey(key: string): string {
  if (typeof key !== "string" || !key.startsWith("files/")) throw new FileError("unavailable", "Not a file key.");
  return key;
}
