import type { Env } from "../core/env";
import { appDataNamespace } from "../data/app-data-store-stub";
import { r2FileBucket } from "../files/file-bucket";
import { deriveLinkKeyBytes, importLinkKey } from "../files/file-links";
import { type FilesBackend, cachedKey } from "../files/files-backend";
import { type AppFilesProps, FilesGateway } from "../files/files-gateway";

let linkKey: (() => Promise<CryptoKey>) | null = null;

/**
 * The control plane's files, for app code it runs itself (the workerd test pool): its APP_FILES bucket, the app
 * environment's database in this process and the link key derived from its master key.
 */
export function controlPlaneFiles(env: Env): FilesBackend {
  linkKey ??= cachedKey(async () => importLinkKey(await deriveLinkKeyBytes(env.KILN_MASTER_KEY)));
  const namespace = appDataNamespace(env.APP_DATA);
  return {
    bucket: r2FileBucket(env.APP_FILES),
    index: (databaseName) => namespace.get(namespace.idFromName(databaseName)),
    linkKey,
  };
}

/** An app isolate's `env.FILES` when app code runs in the control plane (props set by isolates/worker-code.ts). */
export class AppFilesGateway extends FilesGateway<Env> {
  constructor(ctx: ExecutionContext<AppFilesProps>, env: Env) {
    super(ctx, env, controlPlaneFiles);
  }
}
