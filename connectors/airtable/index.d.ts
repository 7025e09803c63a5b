// kiln/airtable: read and write the app owner's Airtable bases. Kiln adds the
// owner's token outside the app; never put a token in code.

/** A cell as Airtable returns it: text, number, checkbox, select, linked record ids, attachments… */
export type AirtableValue = string | number | boolean | string[] | AirtableObject | AirtableObject[];
/** A structured cell value (attachment, collaborator, button…). */
export type AirtableObject = { [key: string]: unknown };
/** Cell values by field name. */
export type AirtableFields = { [field: string]: AirtableValue | undefined };
/** Values to write, by field name; `null` empties a cell. */
export type AirtableWrite<F extends object = AirtableFields> = { [K in keyof F]?: F[K] | null };

/** A row. Empty cells and unticked checkboxes are absent from `fields`. */
export interface AirtableRecord<F extends object = AirtableFields> {
  id: string;
  createdTime: string;
  fields: Partial<F>;
}

/** Which records `list` returns, in what order. */
export interface AirtableListOptions {
  /** Airtable formula a record must satisfy, e.g. "{Status} = 'Active'" or "AND({Age} > 30, {City} = 'Paris')". */
  filterByFormula?: string;
  /** Order; overrides the view's. */
  sort?: { field: string; direction?: "asc" | "desc" }[];
  /** View name or id: only its records, in its order. */
  view?: string;
  /** Return only these fields. */
  fields?: string[];
  /** Stop after this many records in total. */
  maxRecords?: number;
  /** Records per page, 1–100 (default 100). */
  pageSize?: number;
  /** The `offset` of the previous page, to get the next one. */
  offset?: string;
}

/** One page of records; `offset` is absent on the last page. */
export interface AirtablePage<F extends object = AirtableFields> {
  records: AirtableRecord<F>[];
  offset?: string;
}

/** `typecast: true` lets Airtable convert values (e.g. "42" into a number, a new select option). */
export interface AirtableWriteOptions {
  typecast?: boolean;
}

/** One table. Many-record writes are sent 10 records per call, Airtable's limit. */
export interface AirtableTable<F extends object = AirtableFields> {
  /** One page of records (at most 100); pass its `offset` back for the next page. */
  list(options?: AirtableListOptions): Promise<AirtablePage<F>>;
  /** Every matching record, page after page (one outbound call per 100 records). */
  listAll(options?: Omit<AirtableListOptions, "offset">): Promise<AirtableRecord<F>[]>;
  /** One record by id ("rec…"). */
  get(id: string): Promise<AirtableRecord<F>>;
  /** Creates one record. */
  create(fields: AirtableWrite<F>, options?: AirtableWriteOptions): Promise<AirtableRecord<F>>;
  /** Creates many records, in order. */
  create(records: AirtableWrite<F>[], options?: AirtableWriteOptions): Promise<AirtableRecord<F>[]>;
  /** Changes only the given fields of one record. */
  update(id: string, fields: AirtableWrite<F>, options?: AirtableWriteOptions): Promise<AirtableRecord<F>>;
  /** Changes only the given fields of many records. */
  update(records: { id: string; fields: AirtableWrite<F> }[], options?: AirtableWriteOptions): Promise<AirtableRecord<F>[]>;
  /** Deletes one record or many. */
  delete(ids: string | string[]): Promise<void>;
}

/** A base the connected token may use. */
export interface AirtableBase {
  id: string;
  name: string;
  permissionLevel: "none" | "read" | "comment" | "edit" | "create";
}

/** A table's schema: its fields and views. */
export interface AirtableTableSchema {
  id: string;
  name: string;
  description?: string;
  primaryFieldId: string;
  fields: { id: string; name: string; type: string; description?: string }[];
  views: { id: string; name: string; type: string }[];
}

/** The Airtable client of an app. */
export interface AirtableClient {
  /** Every base the connected token may use. */
  listBases(): Promise<AirtableBase[]>;
  /** The tables of a base ("app…"), with their fields and views. */
  listTables(baseId: string): Promise<AirtableTableSchema[]>;
  /** A table by base id and table name or id ("tbl…"); `F` (a type or interface) names its fields. */
  table<F extends object = AirtableFields>(baseId: string, tableIdOrName: string): AirtableTable<F>;
}

/** Ready to use: `airtable.table("app…", "Contacts").list()`. */
export declare const airtable: AirtableClient;

/** A client with its own `fetch` (tests); apps use `airtable`. */
export declare function createAirtableClient(options?: { fetch?: typeof fetch }): AirtableClient;

/** Airtable refused or failed a request; `message` says what to do. */
export declare class AirtableError extends Error {
  constructor(init: { status: number; type: string; message: string });
  /** HTTP status: 401 token refused, 403 no access or not found, 404 not found, 422 invalid request, 429 rate limit. */
  readonly status: number;
  /** Airtable's error type, e.g. "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND", "UNKNOWN_FIELD_NAME", "RATE_LIMIT_REACHED". */
  readonly type: string;
}
