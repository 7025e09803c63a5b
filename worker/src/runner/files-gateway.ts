import type { FileBucket } from "../files/file-bucket";
import { r2FileBucket } from "../files/file-bucket";
import { importLinkKey } from "../files/file-links";
import { type FilesBackend, cachedKey } from "../files/files-backend";
import { type AppFilesProps, FilesGateway } from "../files/files-gateway";
import type { RunnerEnv } from "./runner-env";

let linkKey: (() => Promise<CryptoKey>) | null = null;

/**
 * The runner's files: on Cloudflare its own APP_FILES binding; locally (a bare workerd process, no R2 simulator)
 * the control plane's, over CONTROL. The link key is derived by the control plane and fetched at most every 10 minutes
 * (files-backend.ts, LINK_KEY_TTL_MS: a master-key rotation reaches every isolate without a restart).
 */
export function runnerFiles(env: RunnerEnv): FilesBackend {
  linkKey ??= cachedKey(async () => importLinkKey(await env.CONTROL.fileLinkKey()));
  return {
    bucket: env.APP_FILES ? r2FileBucket(env.APP_FILES) : controlFileBucket(env),
    index: (databaseName) => env.APP_DATA.get(env.APP_DATA.idFromName(databaseName)),
    linkKey: linkKey,
  };
}

function controlFileBucket(env: RunnerEnv): FileBucket {
  return {
    put: (key, body, size, contentType) => env.CONTROL.filePut(key, body, size, contentType),
    get: async (key) => (await env.CONTROL.fileGet(key)) ?? null,
    delete: (keys) => env.CONTROL.fileDelete(keys),
  };
}

/** An app isolate's `env.FILES` in the runner (props set by isolates/worker-code.ts). */
export class AppFilesGateway extends FilesGateway<RunnerEnv> {
  constructor(ctx: ExecutionContext<AppFilesProps>, env: RunnerEnv) {
    super(ctx, env, runnerFiles);
  }
}
