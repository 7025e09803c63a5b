// Airtable's Web API: records, comments and schema (bases, tables, fields). Calls go to api.airtable.com with the
// owner's token added outside the app. Ids: base "app…", table "tbl…", field "fld…", view "viw…", record "rec…",
// comment "com…", user "usr…". Tables and fields may be named by id or exact name; ids survive renames.
// Safe to repeat (a retried run does it once): update, replace, upsert, delete and every `ensure`. Not: create.
import type { AirtableBase, AirtableBases, AirtableFields, AirtableTable, AirtableTableFields, AirtableTableSchema, AirtableTables, AirtableUser } from "./airtable-api";

export type * from "./airtable-api";

export interface AirtableClient {
  /** The token's user id and scopes. */
  whoami(): Promise<AirtableUser>;
  /** As `bases.list()`. */
  listBases(): Promise<AirtableBase[]>;
  /** As `tables(baseId).list()`. */
  listTables(baseId: string): Promise<AirtableTableSchema[]>;
  readonly bases: AirtableBases;
  tables(baseId: string): AirtableTables;
  fields(baseId: string, tableIdOrName: string): AirtableTableFields;
  /** `F` (an interface) types its fields. */
  table<F extends object = AirtableFields>(baseId: string, tableIdOrName: string): AirtableTable<F>;
}
export declare const airtable: AirtableClient;

/** `message` says what to do. */
export declare class AirtableError extends Error {
  private constructor(init: never);
  /** 401 token refused, 403/404 no access or not found, 422 invalid, 429 rate limit. */
  readonly status: number;
  /** e.g. "UNKNOWN_FIELD_NAME", "DUPLICATE_TABLE_NAME". */
  readonly type: string;
}
