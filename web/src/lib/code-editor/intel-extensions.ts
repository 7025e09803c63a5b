// What Kiln's TypeScript adds to the editor: completions, hover and problems (the unsaved text's, asked ~400 ms after
// typing stops, and the last build's), each answered by the control plane from the app's real declarations.
import {
  autocompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
} from "@codemirror/autocomplete";
import { type Diagnostic, linter, lintGutter } from "@codemirror/lint";
import type { Text } from "@codemirror/state";
import { type EditorView, hoverTooltip, type Tooltip } from "@codemirror/view";
import type { CodeCompletion, CodeHover } from "$shapes";
import type { CodeIntelClient } from "./intel-client";

/** Problems appear this long after typing stops; each keystroke would cost a type-check otherwise. */
export const DIAGNOSTICS_DELAY_MS = 400;

/** A problem of the last build in this file (1-based), and whether the live check reproduces it (a type error). */
export interface BuildProblem {
  line: number;
  column: number;
  message: string;
  /** True for type-check problems: once Kiln has checked the current text, its own answer replaces them. */
  typeCheck: boolean;
}

/** TypeScript's kinds of names as CodeMirror's completion icons. */
const KIND_TYPES: Record<string, string> = {
  method: "method",
  function: "function",
  "local function": "function",
  constructor: "function",
  property: "property",
  getter: "property",
  setter: "property",
  var: "variable",
  let: "variable",
  "local var": "variable",
  parameter: "variable",
  const: "constant",
  class: "class",
  "local class": "class",
  interface: "interface",
  type: "type",
  "type parameter": "type",
  alias: "variable",
  enum: "enum",
  "enum member": "constant",
  module: "namespace",
  "external module name": "namespace",
  keyword: "keyword",
  string: "text",
};

/** Completions, hover and problems for `path`, from `intel`; `buildProblems` are the last failed build's. */
export function intelExtensions(intel: CodeIntelClient, path: string, buildProblems: () => readonly BuildProblem[]) {
  return [
    autocompletion({ override: [completionSource(intel, path)], activateOnTypingDelay: 50 }),
    hoverTooltip((view, pos) => hover(intel, path, view, pos), { hoverTime: 350 }),
    linter(diagnosticsSource(intel, path, buildProblems), { delay: DIAGNOSTICS_DELAY_MS }),
    lintGutter(),
  ];
}

function completionSource(intel: CodeIntelClient, path: string) {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    const word = context.matchBefore(/[\w$]*/);
    const afterDot = context.matchBefore(/\.[\w$]*/) !== null;
    // Ask only where a name is being typed (or after a `.`), or when asked explicitly (Ctrl+Space).
    if (!context.explicit && !afterDot && (word === null || word.from === word.to)) return null;
    const controller = new AbortController();
    context.addEventListener("abort", () => controller.abort());
    const text = context.state.doc.toString();
    const answer = await intel.completions(path, text, context.pos, controller.signal);
    if (answer === null || context.aborted || answer.entries.length === 0) return null;
    return {
      from: answer.from,
      options: answer.entries.map((entry) => toOption(entry)),
      // Typing on within the same name filters this list; a new name (or a `.`) asks again.
      validFor: answer.incomplete ? undefined : /^[\w$]*$/,
    };
  };
}

function toOption(entry: CodeCompletion): Completion {
  const rank = Number.parseInt(entry.sortText, 10);
  const option: Completion = {
    label: entry.label,
    type: KIND_TYPES[entry.kind] ?? "text",
    boost: Number.isFinite(rank) ? -Math.min(99, rank) : 0,
  };
  if (entry.detail !== undefined) option.detail = shorten(entry.detail, 120);
  if (entry.insertText !== undefined) option.apply = entry.insertText;
  return option;
}

async function hover(intel: CodeIntelClient, path: string, view: EditorView, pos: number): Promise<Tooltip | null> {
  const answer = await intel.hover(path, view.state.doc.toString(), pos);
  if (answer === null || answer.display === "") return null;
  return { pos: answer.from, end: answer.to, above: true, create: () => ({ dom: hoverDom(answer) }) };
}

/** Plain text nodes only: nothing the app's code or its declarations say is read as HTML. */
function hoverDom(answer: CodeHover): HTMLElement {
  const dom = document.createElement("div");
  dom.className = "cm-kiln-hover";
  const display = document.createElement("code");
  display.className = "cm-kiln-hover-type";
  display.textContent = answer.display;
  dom.append(display);
  if (answer.documentation !== "") {
    const docs = document.createElement("p");
    docs.className = "cm-kiln-hover-docs";
    docs.textContent = answer.documentation;
    dom.append(docs);
  }
  return dom;
}

function diagnosticsSource(intel: CodeIntelClient, path: string, buildProblems: () => readonly BuildProblem[]) {
  let inFlight: AbortController | null = null;
  return async (view: EditorView): Promise<Diagnostic[]> => {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    const doc = view.state.doc;
    const live = await intel.diagnostics(path, doc.toString(), controller.signal);
    const shown: Diagnostic[] = [];
    for (const problem of buildProblems()) {
      // Once Kiln has checked this very text, its type errors are the ones that count.
      if (live !== null && problem.typeCheck) continue;
      const from = offsetAt(doc, problem.line, problem.column);
      shown.push({ from, to: wordEnd(doc, from), severity: "error", source: "Last build", message: problem.message });
    }
    for (const d of live ?? []) {
      const from = Math.min(d.from, doc.length);
      const to = Math.min(Math.max(d.to, from), doc.length);
      shown.push({
        from,
        to: to > from ? to : wordEnd(doc, from),
        severity: "error",
        source: "TypeScript",
        message: d.message,
      });
    }
    return shown;
  };
}

/** A 1-based line and column as an offset into `doc`, clamped to the text. */
export function offsetAt(doc: Text, line: number, column: number): number {
  const at = doc.line(Math.min(Math.max(1, line), doc.lines));
  return Math.min(at.from + Math.max(0, column - 1), at.to);
}

/** Where the word at `from` ends (or the next character, or `from` at the end of a line): what a problem underlines. */
function wordEnd(doc: Text, from: number): number {
  const line = doc.lineAt(from);
  const rest = line.text.slice(from - line.from);
  const word = /^[\w$]+/.exec(rest);
  return from + (word ? word[0].length : Math.min(1, rest.length));
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
