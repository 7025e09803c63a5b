import type { SourceFiles } from "./";
import type { Diagnostic } from "../core/errors";

const ENTRY_FILES = ["src/index.ts", "src/index.tsx", "src/index.js", "index.ts", "index.tsx", "index.js"];

/** The entry file of an upload, as the bundler picks it. */
export function entryFile(files: SourceFiles): string {
  return ENTRY_FILES.find((path) => path in files) ?? Object.keys(files)[0] ?? "src/index.ts";
}

const ANCHORS = {
  tables: /export\s+const\s+tables\b|defineTables\s*\(/,
  default: /export\s+default\b/,
  automations: /export\s+const\s+automations\b/,
  tools: /export\s+const\s+tools\b/,
} as const;

/**
 * Places problems found at run time (schema, smoke start) on the line that
 * declares `tables` or the default export, so the editor can point at them.
 */
export function problemsAsDiagnostics(
  files: SourceFiles,
  problems: string[],
  anchor: keyof typeof ANCHORS,
): Diagnostic[] {
  const file = entryFile(files);
  const pattern = ANCHORS[anchor];
  const lines = (files[file] ?? "").split("\n");
  const index = lines.findIndex((line) => pattern.test(line));
  const line = index >= 0 ? index + 1 : 1;
  const column = index >= 0 ? lines[index]!.search(pattern) + 1 : 1;
  return problems.map((message) => ({ file, line, column, message }));
}
