// Bases ("app…"), tables ("tbl…" or name), records ("rec…").

/** Text, number, checkbox, select, linked record ids, attachments… */
export type AirtableValue = string | number | boolean | string[] | AirtableObject | AirtableObject[];
export type AirtableObject = { [key: string]: unknown };
export type AirtableFields = { [field: string]: AirtableValue | undefined };
/** `null` empties a cell. */
export type AirtableWrite<F extends object = AirtableFields> = { [K in keyof F]?: F[K] | null };
/** Empty cells and unticked checkboxes are absent from `fields`. */
export interface AirtableRecord<F extends object = AirtableFields> { id: string; createdTime: string; fields: Partial<F> }

export interface AirtableListOptions {
  /** e.g. "AND({Age} > 30, {City} = 'Paris')" */ filterByFormula?: string;
  sort?: { field: string; direction?: "asc" | "desc" }[]; /** Name or id. */ view?: string; fields?: string[];
  /** In total. */ maxRecords?: number; /** ≤100. */ pageSize?: number; /** From the previous page. */ offset?: string;
}
/** `offset` is absent on the last page. */
export interface AirtablePage<F extends object = AirtableFields> { records: AirtableRecord<F>[]; offset?: string }
/** `typecast` converts values ("42" into a number, new select options). */
export interface AirtableWriteOptions { typecast?: boolean }

/** Many-record writes are sent 10 per call. */
export interface AirtableTable<F extends object = AirtableFields> {
  list(options?: AirtableListOptions): Promise<AirtablePage<F>>;
  /** Every page. */
  listAll(options?: Omit<AirtableListOptions, "offset">): Promise<AirtableRecord<F>[]>;
  get(id: string): Promise<AirtableRecord<F>>;
  create(fields: AirtableWrite<F>, options?: AirtableWriteOptions): Promise<AirtableRecord<F>>;
  create(records: AirtableWrite<F>[], options?: AirtableWriteOptions): Promise<AirtableRecord<F>[]>;
  /** Changes only the given fields. */
  update(id: string, fields: AirtableWrite<F>, options?: AirtableWriteOptions): Promise<AirtableRecord<F>>;
  update(records: { id: string; fields: AirtableWrite<F> }[], options?: AirtableWriteOptions): Promise<AirtableRecord<F>[]>;
  delete(ids: string | string[]): Promise<void>;
}

export interface AirtableBase { id: string; name: string; permissionLevel: "none" | "read" | "comment" | "edit" | "create" }
export interface AirtableTableSchema {
  id: string; name: string; primaryFieldId: string;
  fields: { id: string; name: string; type: string }[]; views: { id: string; name: string; type: string }[];
}

export interface AirtableClient {
  listBases(): Promise<AirtableBase[]>;
  listTables(baseId: string): Promise<AirtableTableSchema[]>;
  /** `F` (an interface) types its fields. */
  table<F extends object = AirtableFields>(baseId: string, tableIdOrName: string): AirtableTable<F>;
}
export declare const airtable: AirtableClient;

/** `message` says what to do. */
export declare class AirtableError extends Error {
  private constructor(init: never);
  /** 401 token refused, 403/404 no access or not found, 422 invalid, 429 rate limit. */
  readonly status: number;
  /** e.g. "UNKNOWN_FIELD_NAME". */
  readonly type: string;
}
