// The rest of kiln/airtable: options, comments and the schema API (bases, tables, fields). The model reads it on
// request (scripts/build-airtable-api.mjs makes the catalog); index.d.ts re-exports it.

/** Text, number, checkbox, select name(s), linked record ids, attachments, collaborators… */
export type AirtableValue = string | number | boolean | string[] | AirtableObject | AirtableObject[];
export type AirtableObject = { [key: string]: unknown };
export type AirtableFields = { [field: string]: AirtableValue | undefined };
/** `null` empties a cell. */
export type AirtableWrite<F extends object = AirtableFields> = { [K in keyof F]?: F[K] | null };
/** Empty cells and unticked checkboxes are absent from `fields`. */
export interface AirtableRecord<F extends object = AirtableFields> {
  id: string;
  createdTime: string;
  fields: Partial<F> /** With `recordMetadata: ["commentCount"]`. */;
  commentCount?: number;
}

export interface AirtableListOptions extends AirtableReadOptions {
  /** e.g. "AND({Age} > 30, {City} = 'Paris')" */ filterByFormula?: string;
  sort?: { field: string; direction?: "asc" | "desc" }[] /** Name or id. */;
  view?: string;
  fields?: string[];
  /** In total. */ maxRecords?: number /** ≤100. */;
  pageSize?: number /** From the previous page. */;
  offset?: string;
  recordMetadata?: "commentCount"[];
}
/** `offset` is absent on the last page. */
export interface AirtablePage<F extends object = AirtableFields> {
  records: AirtableRecord<F>[];
  offset?: string;
}
/** `typecast` converts values ("42" into a number, new select options). */
export interface AirtableWriteOptions {
  typecast?: boolean;
  returnFieldsByFieldId?: boolean;
}
export interface AirtableUpsertOptions<F = AirtableFields> extends AirtableWriteOptions {
  /** 1–3 text, number, date or select fields whose values identify a record (e.g. ["Email"]). */
  fieldsToMergeOn: (keyof F & string)[];
  /** Empty the fields not given on matched records. */ replace?: boolean;
}
/** Record ids created and updated. */
export interface AirtableUpsertResult<F extends object = AirtableFields> {
  records: AirtableRecord<F>[];
  createdRecords: string[];
  updatedRecords: string[];
}

/** A table's records. Many-record writes are sent 10 per call. */
export interface AirtableTable<F extends object = AirtableFields> {
  get(recordId: string, options?: AirtableReadOptions): Promise<AirtableRecord<F>>;
  list(options?: AirtableListOptions): Promise<AirtablePage<F>>;
  /** Every page. */
  listAll(options?: Omit<AirtableListOptions, "offset">): Promise<AirtableRecord<F>[]>;
  /** Not idempotent: a retried run creates again (use `upsert`). */
  create(fields: AirtableWrite<F>, options?: AirtableWriteOptions): Promise<AirtableRecord<F>>;
  create(records: AirtableWrite<F>[], options?: AirtableWriteOptions): Promise<AirtableRecord<F>[]>;
  /** Changes only the given fields. */
  update(recordId: string, fields: AirtableWrite<F>, options?: AirtableWriteOptions): Promise<AirtableRecord<F>>;
  update(
    records: { id: string; fields: AirtableWrite<F> }[],
    options?: AirtableWriteOptions,
  ): Promise<AirtableRecord<F>[]>;
  /** Sets the given fields and empties every other. */
  replace(recordId: string, fields: AirtableWrite<F>, options?: AirtableWriteOptions): Promise<AirtableRecord<F>>;
  replace(
    records: { id: string; fields: AirtableWrite<F> }[],
    options?: AirtableWriteOptions,
  ): Promise<AirtableRecord<F>[]>;
  /** Updates the record whose `fieldsToMergeOn` values match, else creates one. Two matches: 422. */
  upsert(
    records: AirtableWrite<F> | AirtableWrite<F>[],
    options: AirtableUpsertOptions<F>,
  ): Promise<AirtableUpsertResult<F>>;
  /** Records already gone count as deleted. */
  delete(recordIds: string | string[]): Promise<void>;
  comments(recordId: string): AirtableComments;
}

export interface AirtableReadOptions {
  /** "string": cells as the text Airtable shows; needs timeZone and userLocale. */ cellFormat?: "json" | "string";
  /** e.g. "Europe/Paris" */ timeZone?: string /** e.g. "en-gb" */;
  userLocale?: string;
  /** `fields` keyed by field id, not name. */ returnFieldsByFieldId?: boolean;
}
export interface AirtableComment {
  id: string;
  text: string;
  createdTime: string;
  lastUpdatedTime: string | null;
  author: { id: string; email: string; name?: string };
  /** The comment this one replies to. */ parentCommentId?: string;
  /** By id: who "@[usr…]" in `text` names. */
  mentioned?: { [id: string]: { type: "user" | "userGroup"; id: string; displayName: string; email?: string } };
}
/** `offset` is null on the last page. */
export interface AirtableCommentPage {
  comments: AirtableComment[];
  offset: string | null;
}
/** A record's comments, newest first. */
export interface AirtableComments {
  list(options?: { /** ≤100. */ pageSize?: number; offset?: string }): Promise<AirtableCommentPage>;
  listAll(): Promise<AirtableComment[]>;
  /** "@[usr…]" in `text` mentions someone. Not idempotent (use `ensure`). */
  create(text: string, options?: { parentCommentId?: string }): Promise<AirtableComment>;
  /** The record's comment with exactly this text, else a new one. */
  ensure(text: string, options?: { parentCommentId?: string }): Promise<AirtableComment>;
  update(commentId: string, text: string): Promise<AirtableComment>;
  /** A comment already gone counts as deleted. */
  delete(commentId: string): Promise<void>;
}

export interface AirtableUser {
  id: string /** With the user.email:read scope. */;
  email?: string;
  scopes?: string[];
}
export interface AirtableBase {
  id: string;
  name: string;
  permissionLevel: "none" | "read" | "comment" | "edit" | "create";
}

export type AirtableFieldType =
  | "singleLineText"
  | "multilineText"
  | "richText"
  | "email"
  | "url"
  | "phoneNumber"
  | "number"
  | "percent"
  | "currency"
  | "checkbox"
  | "singleSelect"
  | "multipleSelects"
  | "date"
  | "dateTime"
  | "duration"
  | "rating"
  | "barcode"
  | "multipleRecordLinks"
  | "multipleAttachments"
  | "singleCollaborator"
  | "multipleCollaborators"
  | "formula"
  | "rollup"
  | "count"
  | "multipleLookupValues"
  | "autoNumber"
  | "createdTime"
  | "lastModifiedTime"
  | "createdBy"
  | "lastModifiedBy"
  | "button"
  | "externalSyncSource"
  | "aiText"
  | "manualSort";
/** local "l", friendly "LL", us "M/D/YYYY", european "D/M/YYYY", iso "YYYY-MM-DD" */
export interface AirtableDateFormat {
  name: "local" | "friendly" | "us" | "european" | "iso";
  format?: string;
}
/**
 * A field to create (not formula, lookup, rollup, count, autoNumber or created/modified ones). Required options left
 * out get Airtable's defaults: precision 0 (currency 2, "$"), green check, no choices, iso dates, 24hour utc, "h:mm",
 * 5 yellow stars. Colors: "blueLight2", "greenBright", "redDark1"… (Light2, Light1, Bright, Dark1 of blue, cyan, teal,
 * green, yellow, orange, red, pink, purple, gray; checkboxes and ratings: Bright only).
 */
export type AirtableFieldSpec = { name: string; description?: string } & (
  | {
      type:
        | "singleLineText"
        | "multilineText"
        | "richText"
        | "email"
        | "url"
        | "phoneNumber"
        | "barcode"
        | "singleCollaborator"
        | "multipleCollaborators";
    }
  | { type: "number" | "percent"; options?: { /** 0–8 */ precision: number } }
  | { type: "currency"; options?: { /** 0–7 */ precision: number; symbol: string } }
  | {
      type: "checkbox";
      options?: { icon: "check" | "xCheckbox" | "star" | "heart" | "thumbsUp" | "flag" | "dot"; color: string };
    }
  | { type: "singleSelect" | "multipleSelects"; options?: { choices: { name: string; color?: string }[] } }
  | { type: "date"; options?: { dateFormat: AirtableDateFormat } }
  | {
      type: "dateTime";
      options?: {
        dateFormat: AirtableDateFormat;
        timeFormat: { name: "12hour" | "24hour" } /** "utc", "client", "Europe/Paris"… */;
        timeZone: string;
      };
    }
  | { type: "duration"; options?: { durationFormat: "h:mm" | "h:mm:ss" | "h:mm:ss.S" | "h:mm:ss.SS" | "h:mm:ss.SSS" } }
  | {
      type: "rating";
      options?: { /** 1–10 */ max: number; icon: "star" | "heart" | "thumbsUp" | "flag" | "dot"; color: string };
    }
  | {
      type: "multipleRecordLinks";
      options: { /** A table of the same base. */ linkedTableId: string; viewIdForRecordSelection?: string };
    }
  | { type: "multipleAttachments"; options?: { isReversed: boolean } }
);
/** As read: `options` as written, plus ids (choices), formulas, links (linkedTableId, inverseLinkFieldId)… */
export interface AirtableFieldSchema {
  id: string;
  name: string;
  type: AirtableFieldType;
  description?: string;
  options?: { choices?: { id: string; name: string; color?: string }[]; [option: string]: unknown };
}
export interface AirtableView {
  id: string;
  name: string /** "grid", "form", "calendar", "gallery", "kanban"… */;
  type: string;
  visibleFieldIds?: string[];
}
export interface AirtableTableSchema {
  id: string;
  name: string;
  description?: string;
  primaryFieldId: string;
  fields: AirtableFieldSchema[];
  views: AirtableView[];
}
/** `fields`: the first is the primary field (not a checkbox, link or attachment). */
export interface AirtableTableSpec {
  name: string;
  description?: string;
  fields: AirtableFieldSpec[];
}
/** `workspaceId`: "wsp…", from the workspace's address on airtable.com. */
export interface AirtableBaseSpec {
  name: string;
  workspaceId: string;
  tables: AirtableTableSpec[];
}
export interface AirtableBaseSchema {
  id: string;
  tables: AirtableTableSchema[];
}

/** The bases the token may use. */
export interface AirtableBases {
  list(): Promise<AirtableBase[]>;
  /** Not idempotent: Airtable allows two bases of one name (use `ensure`). */
  create(base: AirtableBaseSpec): Promise<AirtableBaseSchema>;
  /** The base of that name (its tables ensured), else a new one. */
  ensure(base: AirtableBaseSpec): Promise<AirtableBaseSchema>;
}
/** A base's tables, with their fields and views. */
export interface AirtableTables {
  list(options?: {
    /** Each view lists its visible field ids. */ visibleFieldIds?: boolean;
  }): Promise<AirtableTableSchema[]>;
  /** By id or name (case aside); undefined if none. */
  find(tableIdOrName: string): Promise<AirtableTableSchema | undefined>;
  /** A name already used (case aside): 422 DUPLICATE_TABLE_NAME. */
  create(table: AirtableTableSpec): Promise<AirtableTableSchema>;
  /** The table of that name with the spec's missing fields added, else a new one. */
  ensure(table: AirtableTableSpec): Promise<AirtableTableSchema>;
  update(tableIdOrName: string, changes: { name?: string; description?: string }): Promise<AirtableTableSchema>;
}
/** A table's fields. */
export interface AirtableTableFields {
  list(): Promise<AirtableFieldSchema[]>;
  /** A name already used (case aside): 422 DUPLICATE_OR_EMPTY_FIELD_NAME. */
  create(field: AirtableFieldSpec): Promise<AirtableFieldSchema>;
  /** The field of that name (its type unchanged), else a new one. */
  ensure(field: AirtableFieldSpec): Promise<AirtableFieldSchema>;
  /** Airtable's API changes only a field's name and description. */
  update(fieldIdOrName: string, changes: { name?: string; description?: string }): Promise<AirtableFieldSchema>;
}
