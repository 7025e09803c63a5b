import type { DataRow } from "./column-values";
import type { MigrationPlan } from "./schema-change";
import type { BackupInfo } from "../core/api-shapes/data";
import type { Column, GridFilter, Table } from "../core/api-shapes/data";

/**
 * Shapes that `AppDataStore` methods take and return over RPC (plain data only).
 * Kept apart from the class so the platform API can import them without the runtime.
 */

/** Options of `applySchema`: destructive changes run only when the owner confirmed them. */
export interface ApplySchemaOptions {
  allowDestructive: boolean;
}

/** What `applySchema` did. `changed: false` means the declared schema was already in force. */
export interface ApplySchemaOutcome {
  version: number;
  changed: boolean;
  plan: MigrationPlan;
  /** Backup tables made by this apply (empty unless destructive changes ran). */
  backups: BackupInfo[];
}

/** One column as the admin UI shows it (the API's JSON, core/api-shapes/data.ts). */
export type ColumnDescription = Column;

/** One app table as the admin UI shows it. */
export type TableDescription = Table;

/** Paging, ordering, search (text columns) and filters for the admin's table browser (see `grid-filters.ts`). */
export interface AdminListOptions {
  limit?: number;
  offset?: number;
  orderBy?: string;
  order?: "asc" | "desc";
  search?: string;
  filters?: GridFilter[];
}

/** One page of rows, how many match, and the table's total row count, for the admin's table browser. */
export interface RowPage {
  rows: DataRow[];
  total: number;
  tableTotal: number;
}

/** Rows returned by `query()`: plain objects of column values. */
export type QueryRow = Record<string, string | number | null>;

/** Every row of an app environment's tables as the app reads them (`data-dump.ts`); plain JSON. */
export interface DataDump {
  format: "kiln-data/1";
  tables: Record<string, DataRow[]>;
}

/** What loading a dump wrote, and what it left out because this schema has no place for it. */
export interface DumpLoaded {
  tables: { name: string; rows: number }[];
  /** Tables of the dump (with rows) that this database does not declare. */
  skippedTables: string[];
  /** `table.column` pairs of the dump that the table does not declare. */
  skippedColumns: string[];
}
