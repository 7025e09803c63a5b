// Rewrites the tracker's src/fields.ts for the fields a request names:
// the kind of each column comes from its name (rating → number, done → yes/no, due → date).
import { titleCase } from "./request-words";

/** A tracker column's kind, as templates/tracker/files/src/fields.ts declares it. */
export type TrackerFieldKind = "text" | "number" | "boolean" | "date";

/** One tracker column to generate. */
export interface TrackerField {
  name: string;
  label: string;
  kind: TrackerFieldKind;
  required: boolean;
}

const NUMBER_WORDS =
  /(^|_)(rating|stars|score|price|cost|amount|count|quantity|qty|pages|year|age|weight|height|size|hours|minutes|calories|budget|total|number|points|level|stock)$/;
const BOOLEAN_WORDS =
  /(^|_)(done|read|finished|completed|paid|active|watched|visited|owned|available|returned|archived|favorite|favourite)$|^is_/;
const DATE_WORDS = /(^|_)(date|due|deadline|birthday|day|since|until|started|ended|on)$/;
const RESERVED = new Set(["id", "created_at", "updated_at"]);

/** The kind a column named `name` gets. */
export function kindOf(name: string): TrackerFieldKind {
  if (BOOLEAN_WORDS.test(name)) return "boolean";
  if (NUMBER_WORDS.test(name)) return "number";
  if (DATE_WORDS.test(name)) return "date";
  return "text";
}

/** Columns for the named fields; the first text column is required (it names each entry), a leading non-text name gets a "name" column first. */
export function trackerFields(names: readonly string[]): TrackerField[] {
  const usable = names.filter((n) => !RESERVED.has(n));
  const fields: TrackerField[] = usable.map((name) => ({
    name,
    label: titleCase(name.replace(/_/g, " ")),
    kind: kindOf(name),
    required: false,
  }));
  const firstText = fields.findIndex((f) => f.kind === "text");
  if (firstText === 0) fields[0]!.required = true;
  else fields.unshift({ name: "name", label: "Name", kind: "text", required: true });
  return fields.filter((field, index) => fields.findIndex((f) => f.name === field.name) === index);
}

const COLUMN_TYPE: Record<TrackerFieldKind, string> = {
  text: "text",
  number: "number",
  boolean: "boolean",
  date: "text",
};

/** The text of src/fields.ts declaring `fields` (same shape as the template's own file). */
export function renderFieldsFile(fields: readonly TrackerField[]): string {
  const list = fields
    .map(
      (f) =>
        `  { name: ${JSON.stringify(f.name)}, label: ${JSON.stringify(f.label)}, kind: "${f.kind}", required: ${f.required} },`,
    )
    .join("\n");
  const columns = fields.map((f) => `${f.name}: "${COLUMN_TYPE[f.kind]}${f.required ? "" : "?"}"`).join(", ");
  return `// The tracked columns, chosen from the request that made this app.
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
${list}
];

/** The app's one table; its columns match \`fields\`. */
export const tables = defineTables({
  items: { ${columns} },
});
`;
}
