// The owner's view of an app's data: `/api/apps/:id/data[/:table[/:rowId]]?env=preview|live`.
import type { Environment } from "./common";

import type { ColumnType } from "../../../sdk/kiln/index";

/** Column types an app can declare (`tables` in the app's code), as the `kiln` SDK names them. */
export type { ColumnType };

/** What an insert that leaves a column out stores; null: no default. */
export type ColumnDefault = string | number | boolean | null;

/** One column as the admin UI shows it, with the default the app declared. */
export interface Column {
  name: string;
  type: ColumnType;
  optional: boolean;
  default: ColumnDefault;
}

/** One app table as the admin UI shows it. */
export interface Table {
  name: string;
  columns: Column[];
  rowCount: number;
}

/** What kind of data a backup table holds. */
export type BackupKind = "table" | "column" | "retyped_column";

/**
 * A table that keeps data a destructive change removed, so it can be recovered by hand.
 * Dropped tables keep their full rows; column backups hold `row_id` and `value`.
 */
export interface BackupInfo {
  name: string;
  kind: BackupKind;
  table: string;
  column: string | null;
  rowCount: number;
  schemaVersion: number;
  createdAt: string;
}

/** The whole database as the admin UI shows it, including data kept after destructive changes. */
export interface DatabaseDescription {
  /** Applied schema version; 0 before the first schema was applied. */
  version: number;
  tables: Table[];
  backups: BackupInfo[];
}

/** `GET /api/apps/:id/data`. */
export interface DataOverview extends DatabaseDescription {
  environment: Environment;
}

/** A row's column values by name (with `id`, `created_at`, `updated_at`), as JSON. */
export type DataRow = Record<string, unknown>;

/** Direction of a sorted column (the API's `order`). */
export type SortOrder = "asc" | "desc";

/** How a Data tab filter compares a column with its value (`empty` takes none). */
export type GridFilterOp = "equals" | "contains" | "empty";

/** One column filter of the Data tab; in the URL and the API's query as `filter=<column>:<op>:<value>`. */
export interface GridFilter {
  column: string;
  op: GridFilterOp;
  value: string;
}

/** `GET /api/apps/:id/data/:table`: one page of the rows matching `q` and the filters, their number and the table's. */
export interface RowsPage {
  environment: Environment;
  rows: DataRow[];
  /** Rows matching the search and filters (all rows without them). */
  total: number;
  /** Rows in the whole table. */
  tableTotal: number;
  limit: number;
  offset: number;
}

/** What one CSV record would do: add a row, change one (with the values it had), or nothing (already so). */
export interface ImportChange {
  /** The record's first line in the file (1 is the heading row). */
  line: number;
  kind: "add" | "update";
  /** The row being changed; null for additions. */
  id: number | null;
  /** The values the import writes (for an update, only the ones that change). */
  values: DataRow;
  /** For an update, what those columns hold now. */
  before: DataRow | null;
}

/** A CSV record the import refuses, with the reason in words. */
export interface ImportRefusal {
  line: number;
  reason: string;
}

/** `POST /api/apps/:id/data/:table/import`: what the CSV changes (`applied: false`) or changed (`applied: true`). */
export interface ImportPreview {
  environment: Environment;
  table: string;
  applied: boolean;
  /** Each heading of the file and the column it fills (null: ignored, with why in `ignored`). */
  headings: { heading: string; column: string | null }[];
  ignored: string[];
  add: number;
  update: number;
  unchanged: number;
  /** Records this very file already added (a confirmation sent twice writes them once). */
  alreadyImported: number;
  refused: ImportRefusal[];
  /** The first changes, to show before confirming (at most 50). */
  changes: ImportChange[];
}
