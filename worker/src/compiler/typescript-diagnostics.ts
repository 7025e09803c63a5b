import type { Diagnostic as TsDiagnostic, DiagnosticMessageChain } from "typescript";
import type { Diagnostic } from "../core/errors";
import { refuseImport } from "./import-policy";

/** TypeScript's "Cannot find module 'x'" codes, rewritten into Kiln's import rules. */
const MODULE_NOT_FOUND_CODES = new Set([2307, 2792]);
/** "Cannot find name 'x'. Do you need to install type definitions for node?" (x: `require`, or `node:fs` in an import). */
const NODE_NAME_CODES = new Set([2580, 2591]);

/**
 * A TypeScript diagnostic in editor coordinates (1-based) for the user's
 * `path`, with "cannot find module" rewritten into Kiln's import rules.
 */
export function toDiagnostic(diagnostic: TsDiagnostic, path: string): Diagnostic {
  const file = diagnostic.file;
  const start = diagnostic.start ?? 0;
  const { line, character } = file?.getLineAndCharacterOfPosition(start) ?? { line: 0, character: 0 };
  let message = flatten(diagnostic.messageText);
  if (file !== undefined && (MODULE_NOT_FOUND_CODES.has(diagnostic.code) || NODE_NAME_CODES.has(diagnostic.code))) {
    message =
      explainMissingModule(file.text.slice(start, start + (diagnostic.length ?? 0)), diagnostic.code) ?? message;
  }
  return { file: path, line: line + 1, column: character + 1, message };
}

/**
 * Kiln's words for "Cannot find module/name": `span` is the quoted import
 * specifier, or a bare name like `require` that only Node.js defines.
 */
function explainMissingModule(span: string, code: number): string | null {
  const quoted = /^(['"`])(.*)\1$/s.exec(span);
  if (quoted === null)
    return NODE_NAME_CODES.has(code) ? `Cannot find name '${span}': Kiln apps run on Web APIs, not Node.js.` : null;
  const specifier = quoted[2] ?? "";
  if (specifier.startsWith(".") || specifier.startsWith("/"))
    return `'${specifier}' does not match any of the app's files.`;
  return refuseImport(specifier);
}

/** TypeScript's message chain as indented lines, like `ts.flattenDiagnosticMessageText`. */
function flatten(text: string | DiagnosticMessageChain, indent = 0): string {
  if (typeof text === "string") return text;
  const head = `${"  ".repeat(indent)}${text.messageText}`;
  return [head, ...(text.next ?? []).map((next) => flatten(next, indent + 1))].join("\n");
}
