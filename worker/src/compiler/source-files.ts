import { IGNORED_CONFIG_FILES, RESERVED_DIRECTORY, SOURCE_LIMITS } from "../core/api-shapes/source-rules";
import type { Diagnostic } from "../core/errors";
import type { SourceFiles } from "./types";

/** Entry files in order of preference. */
export const ENTRY_CANDIDATES = [
  "src/index.ts",
  "src/index.tsx",
  "src/index.js",
  "src/index.jsx",
  "index.ts",
  "index.tsx",
  "index.js",
  "index.jsx",
] as const;

/** Non-code files an app may import; each import gives the file's text (e.g. an HTML template). */
export const TEXT_MODULE_EXTENSIONS = [".html", ".css", ".txt", ".md", ".svg"] as const;

const IGNORED_CONFIG_FILE_SET = new Set(IGNORED_CONFIG_FILES);

/** Files that passed validation, and the entry file to wrap. */
export interface ValidatedSources {
  files: Map<string, string>;
  entry: string;
  warnings: string[];
}

export type SourceValidation = { ok: true; sources: ValidatedSources } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Checks an upload before anything parses it: paths, sizes, text-only, an
 * entry file. Problems come back as diagnostics (upload-wide ones use file "").
 */
export function validateSourceFiles(input: SourceFiles): SourceValidation {
  const diagnostics: Diagnostic[] = [];
  const problem = (file: string, message: string): void => {
    diagnostics.push({ file, line: 1, column: 1, message });
  };
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return {
      ok: false,
      diagnostics: [{ file: "", line: 1, column: 1, message: "The upload must map file paths to file contents." }],
    };
  }
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > SOURCE_LIMITS.maxFiles) {
    problem("", `The app has ${entries.length} files; Kiln accepts at most ${SOURCE_LIMITS.maxFiles}.`);
  }
  const files = new Map<string, string>();
  const warnings: string[] = [];
  let totalBytes = 0;
  for (const [rawPath, content] of entries) {
    const path = rawPath.startsWith("./") ? rawPath.slice(2) : rawPath;
    const pathProblem = checkPath(path);
    if (pathProblem !== null) {
      problem(rawPath, pathProblem);
      continue;
    }
    if (typeof content !== "string") {
      problem(path, `${path} must be text.`);
      continue;
    }
    if (content.includes("\u0000")) {
      problem(path, `${path} looks like a binary file; Kiln apps are made of text files only.`);
      continue;
    }
    const bytes = new TextEncoder().encode(content).byteLength;
    totalBytes += bytes;
    if (bytes > SOURCE_LIMITS.maxFileBytes) {
      problem(path, `${path} is ${megabytes(bytes)}; a file may be at most ${megabytes(SOURCE_LIMITS.maxFileBytes)}.`);
      continue;
    }
    if (files.has(path)) {
      problem(path, `${path} was uploaded twice.`);
      continue;
    }
    if (IGNORED_CONFIG_FILE_SET.has(path)) {
      warnings.push(`${path} was ignored: Kiln provides hono, zod and kiln and sets the build options itself.`);
      continue;
    }
    files.set(path, content);
  }
  if (totalBytes > SOURCE_LIMITS.maxTotalBytes) {
    problem(
      "",
      `The app's files add up to ${megabytes(totalBytes)}; the limit is ${megabytes(SOURCE_LIMITS.maxTotalBytes)}.`,
    );
  }
  const entry = ENTRY_CANDIDATES.find((candidate) => files.has(candidate));
  if (entry === undefined && diagnostics.length === 0) {
    problem(
      "src/index.ts",
      "The app needs an entry file, src/index.ts, that does `export default` an object with a fetch(request, env, ctx) method, or a Hono app.",
    );
  }
  if (diagnostics.length > 0 || entry === undefined) return { ok: false, diagnostics };
  return { ok: true, sources: { files, entry, warnings } };
}

/** Why a path is not acceptable, or null. Paths are relative, `/`-separated, inside the app. */
function checkPath(path: string): string | null {
  if (path.length === 0) return "A file has an empty name.";
  if (path.length > SOURCE_LIMITS.maxPathLength)
    return `The path is longer than ${SOURCE_LIMITS.maxPathLength} characters.`;
  // Control characters, backslashes and drive letters would mean different files to different tools.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters in a path is the point.
  if (/[\u0000-\u001f\u007f\\:]/.test(path))
    return `${path} contains characters a file path may not use (\\, :, control characters).`;
  if (path.startsWith("/")) return `${path} must be a relative path like src/index.ts, not an absolute one.`;
  const segments = path.split("/");
  if (segments.some((s) => s === "..")) return `${path} may not use "..": every file must stay inside the app.`;
  if (segments.some((s) => s === "" || s === ".")) return `${path} has an empty or "." folder name.`;
  if (segments.includes("node_modules"))
    return `${path} is inside node_modules; Kiln provides the libraries apps can use (hono, zod, kiln).`;
  if (segments[0] === RESERVED_DIRECTORY)
    return `${path} is inside ${RESERVED_DIRECTORY}/, a folder Kiln reserves for itself.`;
  return null;
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 || Number.isInteger(mb) ? mb.toFixed(0) : mb.toFixed(1)} MB`;
}
