import type { Environment } from "../core/env";
import { appDataStoreName, checkScratchName } from "../data/app-data-store-stub";
import { FileError } from "./file-error";
import { appFilesPrefix, checkFileName, filePrefix } from "./file-names";

/**
 * Whose files one `env.FILES` reaches: the bucket prefix every object key starts with, the database holding their
 * index, and what its links are signed for. Derived from the gateway's props only, never from app input.
 */
export interface FileScope {
  /** `files/<app>/<environment>/`, or `files/<app>/trial/<scratch>/` for a build's trial. */
  prefix: string;
  /** The Durable Object name of the database that holds the index (and the quota). */
  database: string;
  /** What a link's signature covers: a trial's `"trial"` environment is verified by no host, so its links open nothing. */
  link: { appId: string; environment: Environment | "trial" };
}

/** The props Kiln sets on an isolate's `env.FILES`; `databaseName` only for a build's trial (its scratch database). */
export interface FileScopeProps {
  appId: string;
  environment: Environment;
  databaseName?: string | undefined;
}

/**
 * The scope of a gateway's props. A trial (a build's smoke start and checks) gets its own prefix and the scratch
 * database as index, so trying a build never stores, replaces or deletes a real environment's files.
 */
export function fileScope(props: FileScopeProps): FileScope {
  if (props.databaseName === undefined)
    return {
      prefix: filePrefix(props.appId, props.environment),
      database: appDataStoreName(props.appId, props.environment),
      link: { appId: props.appId, environment: props.environment },
    };
  return {
    prefix: trialFilesPrefix(props.appId, props.databaseName),
    database: props.databaseName,
    link: { appId: props.appId, environment: "trial" },
  };
}

/** The prefix of a trial's files: deleted with its scratch database once the build is over (versions/deploy-source.ts). */
export function trialFilesPrefix(appId: string, scratchName: string): string {
  const own = `${appId}:`;
  if (!scratchName.startsWith(own) || !/^[A-Za-z0-9_:-]+$/.test(checkScratchName(scratchName)))
    throw new FileError("unavailable", "This app's files are misconfigured (the scratch database is not its own).");
  return `${appFilesPrefix(appId)}trial/${scratchName.slice(own.length).replaceAll(":", "_")}/`;
}

/**
 * The bucket key of one upload of `name`: unique per upload (`<name>@<upload id>`), so two uploads of one name never
 * write the same object; the index says which one is the file, and the replaced one is deleted when it commits.
 */
export function uploadObjectKey(scope: FileScope, name: string, uploadId: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(uploadId)) throw new FileError("unavailable", "This upload is misconfigured.");
  return `${scope.prefix}${checkFileName(name)}@${uploadId}`;
}

/** The upload id an object key ends with (`…@<id>`; a name may hold `@`, an id never): what a link is bound to. */
export function uploadIdOf(objectKey: string): string {
  return objectKey.slice(objectKey.lastIndexOf("@") + 1);
}
