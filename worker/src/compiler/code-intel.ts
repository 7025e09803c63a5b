import type {
  CompletionEntry,
  FormatCodeSettings,
  GetCompletionsAtPositionOptions,
  IndentStyle,
  SymbolDisplayPart,
} from "typescript";
import type { CodeCompletion, CodeCompletions, CodeDiagnostic, CodeEdit, CodeHover } from "../core/api-shapes";
import type { CodeBuffer } from "./code-buffer";
import { CHECKED_FILE, type MountedApp, withMountedApp } from "./language-service";
import { problemsIn } from "./type-check";

/** A long list (every global in scope) is cut here; the editor asks again as the word grows. */
const MAX_COMPLETIONS = 1000;
/** Up to this many entries each get their type as `detail` (a member list: `env.DB.`, `stripe.`). */
const MAX_DESCRIBED = 150;
/** The editor shows at most this many problems in one file, as a build reports at most 50 in all. */
const MAX_DIAGNOSTICS = 50;
/** `ts.IndentStyle.Smart`; typescript is only imported as types here (its runtime copy lives in the bundler). */
const SMART_INDENT = 2 as IndentStyle;

/**
 * Kiln's one code style: what format on save writes (2 spaces, like the templates and the model's code). Every
 * setting is spelled out: one left out counts as false (no spaces around `=`), not as TypeScript's default.
 */
const FORMAT: FormatCodeSettings = {
  indentSize: 2,
  tabSize: 2,
  convertTabsToSpaces: true,
  newLineCharacter: "\n",
  indentStyle: SMART_INDENT,
  trimTrailingWhitespace: true,
  indentSwitchCase: true,
  insertSpaceAfterCommaDelimiter: true,
  insertSpaceAfterSemicolonInForStatements: true,
  insertSpaceBeforeAndAfterBinaryOperators: true,
  insertSpaceAfterKeywordsInControlFlowStatements: true,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: true,
  insertSpaceAfterConstructor: false,
  insertSpaceAfterFunctionKeywordForAnonymousFunctions: true,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyParenthesis: false,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyBrackets: false,
  insertSpaceAfterOpeningAndBeforeClosingTemplateStringBraces: false,
  insertSpaceAfterOpeningAndBeforeClosingJsxExpressionBraces: false,
  insertSpaceAfterTypeAssertion: false,
  insertSpaceBeforeFunctionParenthesis: false,
  placeOpenBraceOnNewLineForFunctions: false,
  placeOpenBraceOnNewLineForControlBlocks: false,
};

const COMPLETION_OPTIONS: GetCompletionsAtPositionOptions = {
  includeCompletionsWithInsertText: true,
  // Auto-imports need code actions the editor does not apply: names from the app's own imports only.
  includeCompletionsForModuleExports: false,
};

/**
 * The names TypeScript offers at `position` of the open file (members after a `.`, else everything in scope), from
 * the app's real declarations: its own files, `kiln`, the connectors it imports, hono, zod, the Workers types.
 */
export async function completionsAt(buffer: CodeBuffer, position: number): Promise<CodeCompletions> {
  const from = wordStart(buffer.text, position);
  const empty: CodeCompletions = { from, member: false, entries: [], incomplete: false };
  return intel(buffer, empty, (app, file) => {
    const info = app.languageService.getCompletionsAtPosition(file, position, COMPLETION_OPTIONS, FORMAT);
    if (info === undefined) return empty;
    const usable = info.entries.filter((e) => e.source === undefined && !e.hasAction);
    usable.sort((a, b) =>
      a.sortText === b.sortText ? a.name.localeCompare(b.name) : a.sortText < b.sortText ? -1 : 1,
    );
    const kept = usable.slice(0, MAX_COMPLETIONS);
    const describe = kept.length <= MAX_DESCRIBED;
    const entries = kept.map((entry): CodeCompletion => {
      const completion = toCompletion(entry);
      if (!describe) return completion;
      const details = app.languageService.getCompletionEntryDetails(
        file,
        position,
        entry.name,
        FORMAT,
        undefined,
        {},
        entry.data,
      );
      // One line: the list shows it beside the name.
      return details === undefined
        ? completion
        : { ...completion, detail: text(details.displayParts).replace(/\s+/g, " ") };
    });
    return { from, member: info.isMemberCompletion, entries, incomplete: usable.length > kept.length };
  });
}

/** The type and documentation of the symbol at `position`, as an editor shows on hover; null over nothing. */
export async function hoverAt(buffer: CodeBuffer, position: number): Promise<CodeHover | null> {
  return intel(buffer, null, (app, file) => {
    const info = app.languageService.getQuickInfoAtPosition(file, position);
    if (info === undefined) return null;
    const tags = (info.tags ?? []).map((tag) => `@${tag.name}${tag.text ? ` ${text(tag.text)}` : ""}`);
    return {
      from: info.textSpan.start,
      to: info.textSpan.start + info.textSpan.length,
      kind: info.kind,
      display: text(info.displayParts),
      documentation: [text(info.documentation), ...tags].filter((part) => part !== "").join("\n\n"),
    };
  });
}

/**
 * The problems a build would report in the open file's current text, saved or not (before type-checking: the
 * files' own problems, e.g. a missing entry), so the editor shows them before anything is built.
 */
export async function diagnosticsOf(buffer: CodeBuffer): Promise<CodeDiagnostic[]> {
  const { path, entry } = buffer;
  if (buffer.problems.length > 0 || entry === null) {
    // Rare (a deleted entry, a bad path): shown at the top of whichever file is open, naming the file it is about.
    return buffer.problems.map((d) => ({
      from: 0,
      to: 0,
      line: 1,
      column: 1,
      message: d.file === path || d.message.includes(d.file) ? d.message : `${d.file}: ${d.message}`,
    }));
  }
  return intel(buffer, [], (app) =>
    problemsIn(app, buffer.files, entry, [path])
      .slice(0, MAX_DIAGNOSTICS)
      .map(({ diagnostic, start, length }) => ({
        from: start,
        to: start + length,
        line: diagnostic.line,
        column: diagnostic.column,
        message: diagnostic.message,
      })),
  );
}

/** The edits that give the open file Kiln's code style (2-space indentation, TypeScript's spacing); format on save. */
export async function formatEdits(buffer: CodeBuffer): Promise<CodeEdit[]> {
  return intel(buffer, [], (app, file) =>
    app.languageService
      .getFormattingEditsForDocument(file, FORMAT)
      .map((change) => ({
        from: change.span.start,
        to: change.span.start + change.span.length,
        insert: change.newText,
      }))
      // TypeScript re-sends some unchanged whitespace (inside doc comments): no edit, no change to the editor's history.
      .filter((edit) => buffer.text.slice(edit.from, edit.to) !== edit.insert),
  );
}

/** Runs `ask` on the open file in the shared language service; `none` for files TypeScript does not read. */
function intel<T>(buffer: CodeBuffer, none: T, ask: (app: MountedApp, file: string) => T): Promise<T> {
  const { files, path, entry } = buffer;
  if (entry === null || !CHECKED_FILE.test(path) || !files.has(path)) return Promise.resolve(none);
  return withMountedApp(files, entry, (app) => ask(app, app.fileName(path)));
}

function toCompletion(entry: CompletionEntry): CodeCompletion {
  const completion: CodeCompletion = { label: entry.name, kind: entry.kind, sortText: entry.sortText };
  if (entry.insertText !== undefined && entry.insertText !== entry.name) completion.insertText = entry.insertText;
  if (entry.replacementSpan !== undefined) {
    completion.from = entry.replacementSpan.start;
    completion.to = entry.replacementSpan.start + entry.replacementSpan.length;
  }
  return completion;
}

/** Where the identifier that ends at `position` starts: what a completion replaces. */
function wordStart(source: string, position: number): number {
  let start = position;
  while (start > 0 && /[\w$]/.test(source[start - 1] ?? "")) start--;
  return start;
}

function text(parts: readonly SymbolDisplayPart[] | undefined): string {
  return (parts ?? []).map((part) => part.text).join("");
}
