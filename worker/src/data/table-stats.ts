import type { ColumnType } from "../../sdk/kiln/index";
import type { TableStats } from "./migration-plan";
import { quoteName } from "./sql-layout";
import { convertStoredValue } from "./type-conversion";

/**
 * Answers the migration planner's questions about current data with SQL, asking only
 * what the plan needs (row counts are remembered for the duration of one plan).
 */
export function sqlTableStats(sql: SqlStorage): TableStats {
  const rowCounts = new Map<string, number>();
  return {
    rowCount(table) {
      const known = rowCounts.get(table);
      if (known !== undefined) return known;
      const count = sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quoteName(table)}`).one().n;
      rowCounts.set(table, count);
      return count;
    },
    emptyCount(table, column) {
      return sql
        .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quoteName(table)} WHERE ${quoteName(column)} IS NULL`)
        .one().n;
    },
    unconvertibleCount(table: string, column: string, from: ColumnType, to: ColumnType) {
      let failures = 0;
      const values = sql.exec<{ value: SqlStorageValue }>(
        `SELECT ${quoteName(column)} AS value FROM ${quoteName(table)} WHERE ${quoteName(column)} IS NOT NULL`,
      );
      for (const { value } of values) {
        if (convertStoredValue(value, from, to) === null) failures += 1;
      }
      return failures;
    },
  };
}
