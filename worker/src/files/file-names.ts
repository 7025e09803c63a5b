import type { Environment } from "../core/env";
import { FileError } from "./file-error";

/** Longest file name, in UTF-8 bytes: R2 keys stop at 1,024 and Kiln's prefix takes some of that. */
export const MAX_FILE_NAME_BYTES = 512;

const encoder = new TextEncoder();

/**
 * Checks a name an app chose for a file and returns it unchanged. Names are paths like `photos/cat.jpg`: no empty,
 * `.` or `..` segments, no leading `/`, no backslash or control characters, so a name can never step out of the
 * app environment's own prefix, whatever the bucket or a URL later makes of it.
 */
export function checkFileName(name: unknown): string {
  if (typeof name !== "string" || name.length === 0) throw invalid('a file needs a name, like "photos/cat.jpg"');
  if (encoder.encode(name).byteLength > MAX_FILE_NAME_BYTES)
    throw invalid(`the name is longer than ${MAX_FILE_NAME_BYTES} bytes; use a shorter one`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f\\]/.test(name)) throw invalid("names may not contain control characters or backslashes");
  if (name.startsWith("/")) throw invalid('names may not start with "/"; write "photos/cat.jpg"');
  for (const segment of name.split("/")) {
    if (segment === "" || segment === "." || segment === "..")
      throw invalid('names may not contain empty, "." or ".." parts between slashes');
  }
  return name;
}

/** The prefix of every object of one app environment; only Kiln composes it, from the props it set. */
export function filePrefix(appId: string, environment: Environment): string {
  if (!/^[A-Za-z0-9_-]+$/.test(appId)) throw new FileError("unavailable", "This app's files are misconfigured.");
  if (environment !== "preview" && environment !== "live")
    throw new FileError("unavailable", "This app's files are misconfigured.");
  return `files/${appId}/${environment}/`;
}

/** The prefix of every object of an app, both environments (deleting an app). */
export function appFilesPrefix(appId: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(appId)) throw new FileError("unavailable", "This app's files are misconfigured.");
  return `files/${appId}/`;
}

function invalid(why: string): FileError {
  return new FileError("invalid_name", `This file name can't be used: ${why}.`);
}
