import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import { SOURCE_LIMITS } from "../core/api-shapes/source-rules";
import { ApiError } from "../core/errors";

/**
 * An app as one zip a person can keep, move to another Kiln and import: `kiln-app.json` (what it is),
 * `source/…` (the version's files as written), `schema.json` (its tables) and `data.json` (every row,
 * `data-dump.ts`). Plain files, so the archive is readable without Kiln.
 */

/** The format marker in `kiln-app.json`; anything else is refused on import. */
export const ARCHIVE_FORMAT = "kiln-app/1";
/** The largest zip Kiln reads; sources are ≤ 5 MB and a data dump ≤ 50,000 rows, both compress well. */
export const MAX_ARCHIVE_BYTES = 20 * 1024 * 1024;
const SOURCE_PREFIX = "source/";
/** What each entry may declare unpacked (fflate allocates what the zip declares): a small zip stays small. */
const ENTRY_LIMITS: Record<string, number> = {
  "kiln-app.json": 256 * 1024,
  "schema.json": 1024 * 1024,
  "data.json": 16 * 1024 * 1024,
};
/** All of it unpacked: a data dump's limit, the sources' and the rest. */
const MAX_UNPACKED_BYTES = 16 * 1024 * 1024 + SOURCE_LIMITS.maxTotalBytes + 2 * 1024 * 1024;

/** What `kiln-app.json` says. */
export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  name: string;
  exportedAt: string;
  /** Which environment's code and data these are. */
  environment: "preview" | "live";
  version: { id: string; number: number; summary: string | null };
  /** The app's config values (never secrets: Kiln refuses those as config). */
  config: Record<string, string>;
}

/** Everything an archive carries, read back. */
export interface AppArchive {
  manifest: ArchiveManifest;
  files: Record<string, string>;
  tables: unknown;
  data: unknown;
}

/** Packs an app into zip bytes. */
export function packArchive(archive: AppArchive): Uint8Array {
  const entries: Zippable = {
    "kiln-app.json": strToU8(JSON.stringify(archive.manifest, null, 2)),
    "schema.json": strToU8(JSON.stringify(archive.tables ?? {}, null, 2)),
    "data.json": strToU8(JSON.stringify(archive.data)),
  };
  for (const [path, text] of Object.entries(archive.files)) entries[`${SOURCE_PREFIX}${path}`] = strToU8(text);
  return zipSync(entries, { level: 6 });
}

/** Reads zip bytes back, refusing (in words) anything that is not a Kiln app export or is too large. */
export function unpackArchive(bytes: Uint8Array): AppArchive {
  if (bytes.byteLength > MAX_ARCHIVE_BYTES)
    throw refuse(
      `The file is ${megabytes(bytes.byteLength)}; Kiln imports apps of up to ${megabytes(MAX_ARCHIVE_BYTES)}.`,
    );
  let unpacked: Record<string, Uint8Array>;
  try {
    let declared = 0;
    unpacked = unzipSync(bytes, {
      // Only the files an export has are unpacked, each within its own limit (checked before it is inflated).
      filter: (file) => {
        const limit = file.name.startsWith(SOURCE_PREFIX) ? SOURCE_LIMITS.maxFileBytes : ENTRY_LIMITS[file.name];
        if (limit === undefined || file.name.endsWith("/")) return false;
        declared += file.originalSize;
        if (file.originalSize > limit || declared > MAX_UNPACKED_BYTES)
          throw refuse(`The zip's ${file.name.slice(0, 80)} unpacks to more than Kiln imports.`);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw refuse("The file is not a zip Kiln can read. Export the app again from Kiln and import that file.");
  }
  const manifest = readManifest(unpacked["kiln-app.json"]);
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(unpacked)) {
    if (!name.startsWith(SOURCE_PREFIX)) continue;
    if (Object.keys(files).length >= SOURCE_LIMITS.maxFiles)
      throw refuse(`The export holds more than ${SOURCE_LIMITS.maxFiles} source files.`);
    files[name.slice(SOURCE_PREFIX.length)] = strFromU8(content);
  }
  if (Object.keys(files).length === 0) throw refuse("The export holds no source files (its source/ folder is empty).");
  return {
    manifest,
    files,
    tables: readJson(unpacked["schema.json"], "schema.json") ?? {},
    data: readJson(unpacked["data.json"], "data.json"),
  };
}

function readManifest(content: Uint8Array | undefined): ArchiveManifest {
  const parsed = readJson(content, "kiln-app.json");
  if (!isRecord(parsed) || parsed.format !== ARCHIVE_FORMAT)
    throw refuse("This zip is not an app exported from Kiln (it has no kiln-app.json of this format).");
  const name =
    typeof parsed.name === "string" && parsed.name.trim() !== "" ? parsed.name.trim().slice(0, 80) : "Imported app";
  const config: Record<string, string> = {};
  if (isRecord(parsed.config))
    for (const [key, value] of Object.entries(parsed.config)) if (typeof value === "string") config[key] = value;
  const version = isRecord(parsed.version) ? parsed.version : {};
  return {
    format: ARCHIVE_FORMAT,
    name,
    exportedAt: typeof parsed.exportedAt === "string" ? parsed.exportedAt.slice(0, 40) : "",
    environment: parsed.environment === "live" ? "live" : "preview",
    version: {
      // Only a real version id is kept (it goes into the audit log); anything else is dropped.
      id: typeof version.id === "string" && /^[0-9a-f]{16}$/.test(version.id) ? version.id : "",
      number: typeof version.number === "number" ? version.number : 0,
      summary: typeof version.summary === "string" ? version.summary.slice(0, 500) : null,
    },
    config,
  };
}

function readJson(content: Uint8Array | undefined, name: string): unknown {
  if (content === undefined) return undefined;
  try {
    return JSON.parse(strFromU8(content)) as unknown;
  } catch {
    throw refuse(`The export's ${name} is not valid JSON.`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const refuse = (message: string) => new ApiError(400, "bad_request", message);
