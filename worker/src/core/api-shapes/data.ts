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

/** `GET /api/apps/:id/data/:table`: one page of rows plus the table's total row count. */
export interface RowsPage {
  environment: Environment;
  rows: DataRow[];
  total: number;
  limit: number;
  offset: number;
}
