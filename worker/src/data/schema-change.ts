// What a schema migration would do, as plain data: planned by migration-plan.ts, applied by migration-apply.ts,
// shown to the owner (a refused change travels in a DataFailure's details) before they confirm.
import type { ColumnType } from "../../sdk/kiln/index";

/**
 * One step from the applied schema to the declared one, with a plain-words `description`
 * the app owner reads before confirming. Table/column names are the declared (new) ones,
 * except for drops, which name what is being dropped.
 */
export type SchemaChange =
  | { kind: "create_table"; table: string; description: string }
  /** Only the capitalisation changed; the database sees the same name, so nothing is lost. */
  | { kind: "rename_table"; table: string; from: string; description: string }
  | { kind: "drop_table"; table: string; rowCount: number; description: string }
  /** `fillWithDefault`: existing rows get the column's default instead of null. */
  | {
      kind: "add_column";
      table: string;
      column: string;
      rowCount: number;
      fillWithDefault: boolean;
      description: string;
    }
  | { kind: "rename_column"; table: string; column: string; from: string; description: string }
  | { kind: "drop_column"; table: string; column: string; rowCount: number; description: string }
  /**
   * `unconvertible` values cannot become the new type and are emptied (kept in the backup);
   * `fillEmptyWithDefault`: a required column with a default gets the default instead.
   */
  | {
      kind: "change_type";
      table: string;
      column: string;
      from: ColumnType;
      to: ColumnType;
      rowCount: number;
      unconvertible: number;
      fillEmptyWithDefault: boolean;
      description: string;
    }
  /**
   * Optional/required or default changed: Kiln's bookkeeping only, except that a column made
   * required with a default has its empty values filled with it (`fillEmptyWithDefault`).
   */
  | { kind: "change_rules"; table: string; column: string; fillEmptyWithDefault: boolean; description: string };

/**
 * What applying a declared schema would do. `additive` never loses data; `destructive`
 * needs the owner's confirmation; `blocked` cannot be applied as declared (the description
 * says what to change in the code).
 */
export interface MigrationPlan {
  additive: SchemaChange[];
  destructive: SchemaChange[];
  blocked: SchemaChange[];
}
