// What `PUT /api/apps/:id/source` accepts as an app's files: the build checks them (compiler/source-files.ts) and the
// Code tab's new-file form (web/src/lib/source-paths.ts) refuses a bad name in words before anything is built.

/** Upload limits: generous for hand- or LLM-written apps, small enough for one build in one isolate. */
export const SOURCE_LIMITS = {
  maxFiles: 200,
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 5 * 1024 * 1024,
  maxPathLength: 200,
} as const;

/** Folder Kiln writes its own generated files into; apps may not use it. */
export const RESERVED_DIRECTORY = "__kiln";

/** Root files other tools would read as configuration; Kiln decides these itself and ignores uploads of them. */
export const IGNORED_CONFIG_FILES: readonly string[] = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "wrangler.toml",
  "wrangler.json",
  "wrangler.jsonc",
  "pyproject.toml",
];
