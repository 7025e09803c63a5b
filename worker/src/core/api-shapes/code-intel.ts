// The Code tab's editor asks Kiln about the text being typed (`POST /api/apps/:id/code/…`): completions, hover,
// problems and formatting, answered by the same TypeScript service that checks builds. Positions are UTF-16 offsets
// into the open file's text, as both TypeScript and the editor count them.

/** What every editor request sends: the open file as typed, over a version's saved files. */
export interface CodeBufferRequest {
  /** The version the edits were made on; the app's preview version when left out. */
  version?: string | null;
  /** The open file, e.g. `src/index.ts`. */
  path: string;
  /** Its text as typed, saved or not. */
  text: string;
  /** Other unsaved files: path → text, or null for a file deleted since that version. */
  edits?: Record<string, string | null>;
}

/** `POST …/code/completions` and `…/code/hover`: a buffer and the cursor in it. */
export interface CodePositionRequest extends CodeBufferRequest {
  position: number;
}

/** One name the editor may offer; `kind` is TypeScript's (`method`, `property`, `const`, `keyword`, …). */
export interface CodeCompletion {
  label: string;
  kind: string;
  /** TypeScript's order: lower first. */
  sortText: string;
  /** Its type or signature, when the list is short enough to describe each entry. */
  detail?: string;
  /** What to insert instead of `label` (e.g. `["content-type"]`), over `from`–`to` when given. */
  insertText?: string;
  from?: number;
  to?: number;
}

/** `POST …/code/completions`: the names that fit at the cursor, replacing the word that starts at `from`. */
export interface CodeCompletions {
  from: number;
  /** After a `.`: the members of a value rather than every name in scope. */
  member: boolean;
  entries: CodeCompletion[];
  /** More names fit than were sent: ask again once more is typed. */
  incomplete: boolean;
}

/** `POST …/code/hover` → `{ hover }`: a symbol's type and documentation, or null where there is none. */
export interface CodeHover {
  from: number;
  to: number;
  kind: string;
  /** E.g. `(method) AppDatabase<…>.insert<K>(table: K, row: NewRow<…>): Promise<Row<…>>`. */
  display: string;
  documentation: string;
}

/** One problem in the open file's current text (`POST …/code/diagnostics` → `{ diagnostics }`), as a build reports it. */
export interface CodeDiagnostic {
  from: number;
  to: number;
  /** 1-based, like a build's diagnostics. */
  line: number;
  column: number;
  message: string;
}

/** One change `POST …/code/format` → `{ edits }` makes: replace `from`–`to` (of the text sent) with `insert`. */
export interface CodeEdit {
  from: number;
  to: number;
  insert: string;
}
