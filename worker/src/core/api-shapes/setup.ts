// What an app declares it needs from its owner (`export const setup`), and how far the owner got.

/** Plain values the owner types, checked by type before they are saved. */
export const SETUP_VALUE_TYPES = ["text", "email", "url", "number", "timezone", "time"] as const;
export type SetupValueType = (typeof SETUP_VALUE_TYPES)[number];

/** Airtable field types a declared table may have; Kiln creates them with these types. */
export const AIRTABLE_FIELD_KINDS = [
  "singleLineText",
  "multilineText",
  "email",
  "phoneNumber",
  "url",
  "number",
  "currency",
  "date",
  "dateTime",
  "checkbox",
] as const;
export type AirtableFieldKind = (typeof AIRTABLE_FIELD_KINDS)[number];

/** One declared need, keyed by the CONFIG name its value arrives under. */
export type SetupItem = { key: string; label: string; help: string | null; optional: boolean } & (
  | { type: SetupValueType; default: string | null }
  | { type: "google_sheet"; title: string; headers: string[] }
  | { type: "airtable_table"; name: string; fields: Record<string, AirtableFieldKind> }
);

/** A declared need and whether the app's config has it. */
export interface SetupItemStatus {
  item: SetupItem;
  set: boolean;
  /** The CONFIG names the item fills (an Airtable table fills KEY and KEY_BASE), with their values. */
  values: Record<string, string | null>;
}

/** `GET /api/apps/:id/setup`: a version's declared setup against the app's config values. */
export interface AppSetup {
  version: string | null;
  items: SetupItemStatus[];
  /** Labels of the required items still missing, in declaration order; publishing waits for these. */
  missing: string[];
}
