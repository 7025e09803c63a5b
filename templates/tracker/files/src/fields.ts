// The tracked columns. Kiln's template adapter rewrites this file when a request
// names its own fields; every other file reads the columns from here.
import { defineTables } from "kiln";

/** How a column is entered and shown. */
export type FieldKind = "text" | "number" | "boolean" | "date";

/** One tracked column: its database name, its label and its kind. */
export interface Field {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
}

/** The columns, in the order they are shown. */
export const fields: readonly Field[] = [
  { name: "title", label: "Title", kind: "text", required: true },
  { name: "status", label: "Status", kind: "text", required: false },
  { name: "due", label: "Due", kind: "date", required: false },
  { name: "done", label: "Done", kind: "boolean", required: false },
];

/** The app's one table; its columns match `fields`. */
export const tables = defineTables({
  items: { title: "text", status: "text?", due: "text?", done: "boolean?" },
});
