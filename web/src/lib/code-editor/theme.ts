// The editor in Kiln's colours: the page's own CSS variables (light and dark), and a highlight style readable on both.
// CodeMirror writes these rules into a <style> element carrying the page's CSP nonce (see create-editor.ts).
import { HighlightStyle } from "@codemirror/language";
import { EditorView } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

/** Colours for light and dark pages: CSS `light-dark()` follows the page's `color-scheme`. */
const both = (light: string, dark: string) => `light-dark(${light}, ${dark})`;

/** Kiln's look around the text: the Code tab's box, the gutters, the panels (search), tooltips (hover, problems). */
export const kilnTheme = EditorView.theme({
  "&": {
    height: "100%",
    color: "var(--text)",
    backgroundColor: "var(--code-bg)",
    fontSize: "0.85rem",
  },
  "&.cm-focused": { outline: "3px solid var(--focus)", outlineOffset: "-3px" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5" },
  ".cm-content": { caretColor: "var(--text)", padding: "0.5rem 0" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--text)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: both("#cfe0fb", "#2f4a73"),
  },
  ".cm-gutters": {
    backgroundColor: "var(--code-bg)",
    color: "var(--muted)",
    borderRight: "1px solid var(--border)",
  },
  ".cm-activeLine": { backgroundColor: both("#0000000a", "#ffffff0d") },
  ".cm-activeLineGutter": { backgroundColor: both("#0000000f", "#ffffff14"), color: "var(--text)" },
  ".cm-panels": { backgroundColor: "var(--surface)", color: "var(--text)" },
  ".cm-panels.cm-panels-bottom": { borderTop: "1px solid var(--border)" },
  ".cm-panels.cm-panels-top": { borderBottom: "1px solid var(--border)" },
  ".cm-panel.cm-search": { padding: "0.35rem 0.5rem", fontSize: "0.85rem" },
  ".cm-panel.cm-search input, .cm-panel.cm-search button": { fontSize: "0.85rem", margin: "0.1rem 0.2rem" },
  ".cm-searchMatch": { backgroundColor: both("#ffe08a", "#6b5410") },
  ".cm-searchMatch.cm-searchMatch-selected": { backgroundColor: both("#ffc14d", "#a07a12") },
  ".cm-tooltip": {
    backgroundColor: "var(--surface)",
    color: "var(--text)",
    border: "1px solid var(--border)",
    borderRadius: "var(--radius)",
  },
  ".cm-tooltip-autocomplete > ul": { fontFamily: "var(--mono)", maxHeight: "16em" },
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": { backgroundColor: "var(--focus)", color: "var(--surface)" },
  ".cm-completionDetail": { marginLeft: "1em", fontStyle: "normal", opacity: "0.75" },
  ".cm-kiln-hover": { maxWidth: "min(40rem, 80vw)", padding: "0.35rem 0.6rem", fontSize: "0.8rem" },
  ".cm-kiln-hover-type": { display: "block", whiteSpace: "pre-wrap", fontFamily: "var(--mono)" },
  ".cm-kiln-hover-docs": { margin: "0.35rem 0 0", whiteSpace: "pre-wrap" },
  ".cm-diagnostic": { whiteSpace: "pre-wrap", fontFamily: "var(--mono)", fontSize: "0.8rem" },
  ".cm-diagnostic-error": { borderLeftColor: "var(--danger)" },
});

/** Syntax colours with enough contrast on the light and the dark code background. */
export const kilnHighlight = HighlightStyle.define([
  { tag: [t.keyword, t.modifier, t.controlKeyword, t.operatorKeyword], color: both("#8f1d6b", "#f08ccf") },
  { tag: [t.string, t.special(t.string), t.regexp], color: both("#2a6a12", "#9fd67f") },
  { tag: [t.number, t.bool, t.null, t.atom], color: both("#0b5a8c", "#7cc7f2") },
  { tag: [t.comment, t.lineComment, t.blockComment], color: "var(--muted)", fontStyle: "italic" },
  { tag: [t.typeName, t.className, t.namespace], color: both("#7a4a00", "#f2c14e") },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: both("#1f4fb0", "#9cc1ff") },
  { tag: [t.definition(t.variableName), t.definition(t.propertyName)], color: both("#1d1b19", "#eeeae6") },
  { tag: [t.propertyName], color: both("#5a3b8c", "#cdb4f5") },
  { tag: [t.operator, t.punctuation, t.bracket], color: both("#4a4540", "#c9c2bb") },
  { tag: [t.tagName, t.angleBracket], color: both("#8f1d6b", "#f08ccf") },
  { tag: [t.attributeName], color: both("#7a4a00", "#f2c14e") },
  { tag: t.invalid, color: "var(--danger)" },
]);
