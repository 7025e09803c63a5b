import { SOURCE_LIMITS } from "../core/api-shapes/source-rules";
import { ApiError, type Diagnostic } from "../core/errors";
import { validateSourceFiles } from "./source-files";
import type { SourceFiles } from "./types";

/** The editor's view of an app: saved files with the unsaved ones on top, and the file being edited. */
export interface CodeBuffer {
  /** Every file of the app as the editor holds it (the open file's text included); none when `problems` has some. */
  files: ReadonlyMap<string, string>;
  /** The open file. */
  path: string;
  /** Its text, as typed. */
  text: string;
  /** The entry a build would wrap; null when `problems` has some. */
  entry: string | null;
  /** Why a build would refuse these files before type-checking them (a path, no entry); usually none. */
  problems: Diagnostic[];
}

/** 413: the editor sent more text than a build would accept, so Kiln does not read it. */
export class CodeTooLargeError extends ApiError {
  constructor(what: string) {
    super(413, "payload_too_large", `${what} The editor's checks read what a build accepts, no more.`);
  }
}

/**
 * Lays the unsaved `edits` and the open file's `text` over a version's `saved` files. Refuses, before any parsing,
 * input larger than a build accepts: it would only hold the shared type-checker up.
 */
export function openBuffer(
  saved: SourceFiles,
  edits: Readonly<Record<string, string | null>>,
  path: string,
  text: string,
): CodeBuffer {
  const sent = [...Object.values(edits), text];
  if (sent.length > SOURCE_LIMITS.maxFiles + 1)
    throw new CodeTooLargeError(`${sent.length} files were sent; an app has at most ${SOURCE_LIMITS.maxFiles}.`);
  const encoder = new TextEncoder();
  let total = 0;
  for (const [file, content] of [...Object.entries(edits), [path, text] as const]) {
    if (content === null) continue;
    const bytes = encoder.encode(content).length;
    if (bytes > SOURCE_LIMITS.maxFileBytes)
      throw new CodeTooLargeError(
        `${file} is ${size(bytes)}; a file may be at most ${size(SOURCE_LIMITS.maxFileBytes)}.`,
      );
    total += bytes;
  }
  if (total > SOURCE_LIMITS.maxTotalBytes)
    throw new CodeTooLargeError(
      `The files sent add up to ${size(total)}; an app may have at most ${size(SOURCE_LIMITS.maxTotalBytes)}.`,
    );

  const merged: SourceFiles = { ...saved };
  for (const [file, content] of Object.entries(edits)) {
    if (content === null) delete merged[file];
    else merged[file] = content;
  }
  merged[path] = text;
  const validation = validateSourceFiles(merged);
  if (!validation.ok) return { files: new Map(), path, text, entry: null, problems: validation.diagnostics };
  const { files, entry } = validation.sources;
  return { files, path, text, entry, problems: [] };
}

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb.toFixed(0) : mb.toFixed(1)} MB`;
}
