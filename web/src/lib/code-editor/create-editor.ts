// The Code tab's editor: CodeMirror 6 with TypeScript highlighting, search and replace, Kiln's completions, hover and
// problems, and format on save. Only the Code tab imports this module (dynamically), so no other page ships it.
import { closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, foldGutter, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { forceLinting, lintKeymap } from "@codemirror/lint";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { EditorState, type Extension } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import type { CodeIntelClient } from "./intel-client";
import { type BuildProblem, intelExtensions, offsetAt } from "./intel-extensions";
import { kilnHighlight, kilnTheme } from "./theme";

/** Files Kiln's TypeScript reads (the rest get no completions or checks). */
const SCRIPT = /\.[cm]?[jt]sx?$/;
/** Formatting waits at most this long before saving goes ahead unformatted. */
const FORMAT_TIMEOUT_MS = 3000;

/** What the editor needs from the page. */
export interface CodeEditorOptions {
  parent: HTMLElement;
  doc: string;
  /** The open file: its language, and the editor's accessible name. */
  path: string;
  describedBy?: string;
  /** The page's CSP nonce, so CodeMirror's <style> element is allowed under `style-src 'self' 'nonce-…'`. */
  nonce: string | undefined;
  intel: CodeIntelClient;
  /** The last failed build's problems in this file. */
  buildProblems: () => readonly BuildProblem[];
  /** Every change of the text, typed or formatted. */
  onChange: (text: string) => void;
}

/** The page's handle on the editor. */
export interface CodeEditor {
  readonly view: EditorView;
  /** Puts the cursor at a 1-based line and column, scrolls it into view and focuses the editor. */
  jump(line: number, column: number): void;
  /** Puts the cursor at an offset (where it was in the fallback textarea), scrolls it into view and focuses. */
  focusAt(offset: number): void;
  /** Replaces the whole text (a discard, a reload): the cursor stays on its line as far as the text allows. */
  setText(text: string): void;
  /** Formats the text in Kiln's style (kept when Kiln cannot be asked in time) and returns it: format on save. */
  formatForSave(): Promise<string>;
  /** Shows the problems again (the last build's changed) without waiting for a change of the text. */
  refreshProblems(): void;
  /** Focuses the editor and scrolls its own box (not the page) so the cursor's line shows in the window. */
  keepCursorInSight(): void;
  destroy(): void;
}

/**
 * Builds the editor in `parent` once its language has loaded (a chunk of its own: the TypeScript grammar); the page
 * keeps its textarea (hidden) as the form's field and the no-JavaScript fallback.
 */
export async function createCodeEditor(options: CodeEditorOptions): Promise<CodeEditor> {
  const { path, intel } = options;
  const language = await languageOf(path);
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({ doc: options.doc, extensions: [language, extensions(options)] }),
  });

  function scrollTo(pos: number, y: "center" | "nearest") {
    view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y }) });
  }

  return {
    view,
    jump(line, column) {
      scrollTo(offsetAt(view.state.doc, line, column), "center");
      view.focus();
    },
    focusAt(offset) {
      scrollTo(Math.min(Math.max(0, offset), view.state.doc.length), "center");
      view.focus();
    },
    setText(text) {
      if (text === view.state.doc.toString()) return;
      const line = view.state.doc.lineAt(view.state.selection.main.head).number;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      scrollTo(offsetAt(view.state.doc, line, 1), "nearest");
    },
    async formatForSave() {
      const before = view.state.doc.toString();
      const edits = await intel.format(path, before, AbortSignal.timeout(FORMAT_TIMEOUT_MS));
      // Typed on while Kiln formatted: what is there now is what gets saved.
      if (edits === null || edits.length === 0 || view.state.doc.toString() !== before)
        return view.state.doc.toString();
      // Offsets are all of the text sent; CodeMirror maps the cursor through the changes, so it stays on its line.
      view.dispatch({ changes: edits.map((e) => ({ from: e.from, to: e.to, insert: e.insert })), userEvent: "format" });
      return view.state.doc.toString();
    },
    refreshProblems() {
      forceLinting(view);
    },
    keepCursorInSight() {
      const { head } = view.state.selection.main;
      // A form action's focus reset (SvelteKit) cleared the page's selection: put the caret back in the DOM first,
      // or the editor would take the browser's default caret (its first line) for the person's.
      if (head >= view.viewport.from && head <= view.viewport.to) {
        const { node, offset } = view.domAtPos(head);
        document.getSelection()?.collapse(node, offset);
      }
      view.focus();
      const cursor = view.coordsAtPos(view.state.selection.main.head);
      if (cursor === null) return;
      const { top, bottom } = visibleBand(view.scrollDOM);
      const lineHeight = view.defaultLineHeight;
      if (cursor.top < top) view.scrollDOM.scrollTop -= top - cursor.top + lineHeight;
      else if (cursor.bottom > bottom) view.scrollDOM.scrollTop += cursor.bottom - bottom + lineHeight;
    },
    destroy() {
      view.destroy();
    },
  };
}

/** The part of `element` the window shows: its box, cut by every scrolling or clipping box around it and the window. */
function visibleBand(element: HTMLElement): { top: number; bottom: number } {
  const box = element.getBoundingClientRect();
  let top = Math.max(box.top, 0);
  let bottom = Math.min(box.bottom, window.innerHeight);
  for (let node = element.parentElement; node !== null; node = node.parentElement) {
    if (getComputedStyle(node).overflowY === "visible") continue;
    const clip = node.getBoundingClientRect();
    top = Math.max(top, clip.top);
    bottom = Math.min(bottom, clip.bottom);
  }
  return { top, bottom };
}

/** TypeScript/JavaScript highlighting for the app's code; other files (HTML, CSS, Markdown) as plain text. */
async function languageOf(path: string): Promise<Extension> {
  if (!SCRIPT.test(path)) return [];
  const { javascript } = await import("@codemirror/lang-javascript");
  return javascript({ typescript: /\.[cm]?tsx?$/.test(path), jsx: /x$/.test(path) });
}

function extensions(options: CodeEditorOptions): Extension[] {
  const { path } = options;
  const script = SCRIPT.test(path);
  return [
    options.nonce ? EditorView.cspNonce.of(options.nonce) : [],
    lineNumbers(),
    foldGutter(),
    highlightActiveLineGutter(),
    highlightActiveLine(),
    drawSelection(),
    history(),
    indentUnit.of("  "),
    EditorState.tabSize.of(2),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    highlightSelectionMatches(),
    search({ top: true }),
    syntaxHighlighting(kilnHighlight),
    script ? intelExtensions(options.intel, path, options.buildProblems) : [],
    keymap.of([
      ...closeBracketsKeymap,
      ...defaultKeymap,
      ...searchKeymap,
      ...historyKeymap,
      ...completionKeymap,
      ...lintKeymap,
      indentWithTab,
    ]),
    kilnTheme,
    EditorView.contentAttributes.of({
      "aria-label": path,
      ...(options.describedBy ? { "aria-describedby": options.describedBy } : {}),
      spellcheck: "false",
      autocapitalize: "off",
    }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) options.onChange(update.state.doc.toString());
    }),
  ];
}
