import type { Diagnostic as TsDiagnostic, LanguageService } from "typescript";
import type { Diagnostic } from "../core/errors";
import { type MountedApp, withMountedApp } from "./language-service";
import { toDiagnostic } from "./typescript-diagnostics";

/** `ts.DiagnosticCategory.Error`; typescript is only imported as types here (its runtime copy lives in the bundler). */
const ERROR_CATEGORY = 1;
/** A build reports at most this many problems; the first ones are the ones to fix. */
const MAX_DIAGNOSTICS = 50;

/** The message for a default export that Kiln cannot serve. */
export function missingHandlerMessage(entry: string): string {
  return `${entry} must \`export default\` an object with a fetch(request, env, ctx) method that returns a Response, or a Hono app.`;
}

/** A build's problem and the span of its file's text it points at, so an editor can underline it. */
export interface LocatedProblem {
  diagnostic: Diagnostic;
  /** UTF-16 offset into the file's text (what TypeScript and CodeMirror count). */
  start: number;
  length: number;
}

/**
 * Type-checks an app (strict, es2023 + Workers types + seeded hono/zod/kiln)
 * and checks that its entry's default export can serve requests. Returns
 * problems in the user's files only, 1-based.
 */
export async function typeCheck(files: ReadonlyMap<string, string>, entry: string): Promise<Diagnostic[]> {
  const problems = await withMountedApp(files, entry, (app) => problemsIn(app, files, entry, app.checked));
  return problems.slice(0, MAX_DIAGNOSTICS).map((p) => p.diagnostic);
}

/**
 * The problems a build would report in `paths` of a mounted app (the same rules as `typeCheck`), with their spans:
 * the Code tab shows them inline for text that is not saved yet.
 */
export function problemsIn(
  app: MountedApp,
  files: ReadonlyMap<string, string>,
  entry: string,
  paths: readonly string[],
): LocatedProblem[] {
  const { languageService, checkFile } = app;
  const problems: LocatedProblem[] = [];
  for (const path of paths) {
    for (const d of errorsIn(languageService, app.fileName(path)))
      problems.push({ diagnostic: toDiagnostic(d, path), start: d.start ?? 0, length: d.length ?? 0 });
  }
  // A broken entry file already explains a broken default export.
  if (
    paths.includes(entry) &&
    errorsIn(languageService, checkFile).length > 0 &&
    !problems.some((p) => p.diagnostic.file === entry)
  ) {
    const at = defaultExportPosition(files.get(entry) ?? "");
    problems.push({
      diagnostic: { file: entry, line: at.line, column: at.column, message: missingHandlerMessage(entry) },
      start: at.start,
      length: at.length,
    });
  }
  return problems;
}

function errorsIn(languageService: LanguageService, path: string): TsDiagnostic[] {
  return [...languageService.getSyntacticDiagnostics(path), ...languageService.getSemanticDiagnostics(path)].filter(
    (d) => d.category === ERROR_CATEGORY,
  );
}

/** Where `export default` is written in the entry, or 1:1 when it has none. */
function defaultExportPosition(text: string): { line: number; column: number; start: number; length: number } {
  const match = /^([ \t]*)(export\s+default)\b/m.exec(text);
  if (match === null) return { line: 1, column: 1, start: 0, length: 0 };
  const indent = match[1]?.length ?? 0;
  const before = text.slice(0, match.index);
  return {
    line: before.split("\n").length,
    column: indent + 1,
    start: match.index + indent,
    length: match[2]?.length ?? 0,
  };
}
