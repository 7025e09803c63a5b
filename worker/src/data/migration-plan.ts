import type { ColumnType } from "../../sdk/kiln/index";
import type { AppSchema, ColumnDefinition, TableDefinition } from "./schema";
import type { MigrationPlan, SchemaChange } from "./schema-change";

/** Facts about the current data the planner needs; names are the currently applied ones. */
export interface TableStats {
  rowCount(table: string): number;
  /** Rows whose value in `column` is null. */
  emptyCount(table: string, column: string): number;
  /** Non-null values in `column` that cannot be converted from `from` to `to`. */
  unconvertibleCount(table: string, column: string, from: ColumnType, to: ColumnType): number;
}

/** Diffs the applied schema against the declared one. Pure apart from the `stats` it asks. */
export function planMigration(applied: AppSchema, declared: AppSchema, stats: TableStats): MigrationPlan {
  const plan: MigrationPlan = { additive: [], destructive: [], blocked: [] };
  const appliedByKey = byLowerCaseName(applied);
  const declaredKeys = new Set(Object.keys(declared).map((name) => name.toLowerCase()));

  for (const oldName of Object.keys(applied)) {
    if (declaredKeys.has(oldName.toLowerCase())) continue;
    const rowCount = stats.rowCount(oldName);
    plan.destructive.push({
      kind: "drop_table",
      table: oldName,
      rowCount,
      description: `drop table '${oldName}' (${rows(rowCount)})`,
    });
  }
  for (const [table, newColumns] of Object.entries(declared)) {
    const oldName = appliedByKey.get(table.toLowerCase());
    if (oldName === undefined) {
      const names = Object.keys(newColumns);
      const what = names.length > 0 ? `with columns ${names.join(", ")}` : "with no columns of its own";
      plan.additive.push({ kind: "create_table", table, description: `create table '${table}' ${what}` });
      continue;
    }
    if (oldName !== table) {
      plan.additive.push({
        kind: "rename_table",
        table,
        from: oldName,
        description: `rename table '${oldName}' to '${table}'`,
      });
    }
    planColumns(plan, table, oldName, applied[oldName] ?? {}, newColumns, stats);
  }
  return plan;
}

function planColumns(
  plan: MigrationPlan,
  table: string,
  oldTable: string,
  oldColumns: TableDefinition,
  newColumns: TableDefinition,
  stats: TableStats,
): void {
  const oldByKey = byLowerCaseName(oldColumns);
  const newKeys = new Set(Object.keys(newColumns).map((name) => name.toLowerCase()));

  for (const oldName of Object.keys(oldColumns)) {
    if (newKeys.has(oldName.toLowerCase())) continue;
    const rowCount = stats.rowCount(oldTable);
    plan.destructive.push({
      kind: "drop_column",
      table,
      column: oldName,
      rowCount,
      description: `drop column '${oldName}' from '${table}' (${rows(rowCount)})`,
    });
  }
  for (const [column, next] of Object.entries(newColumns)) {
    const oldName = oldByKey.get(column.toLowerCase());
    const previous = oldName === undefined ? undefined : oldColumns[oldName];
    if (oldName === undefined || previous === undefined) {
      planNewColumn(plan, table, column, next, stats.rowCount(oldTable));
      continue;
    }
    if (oldName !== column) {
      plan.additive.push({
        kind: "rename_column",
        table,
        column,
        from: oldName,
        description: `rename column '${oldName}' of '${table}' to '${column}'`,
      });
    }
    if (previous.type !== next.type) {
      planTypeChange(plan, { table, column, oldTable, oldColumn: oldName, previous, next }, stats);
    } else {
      planRuleChange(plan, { table, column, oldTable, oldColumn: oldName, previous, next }, stats);
    }
  }
}

function planNewColumn(
  plan: MigrationPlan,
  table: string,
  column: string,
  next: ColumnDefinition,
  rowCount: number,
): void {
  const fillWithDefault = next.default !== null && rowCount > 0;
  const change: SchemaChange = {
    kind: "add_column",
    table,
    column,
    rowCount,
    fillWithDefault,
    description: `add column '${column}' to '${table}'`,
  };
  if (!next.optional && next.default === null && rowCount > 0) {
    change.description =
      `add required column '${column}' to '${table}': its ${rows(rowCount)} would have no value in it. ` +
      `Make it optional ("${next.type}?") or give it a default ({ type: "${next.type}", default: ... })`;
    plan.blocked.push(change);
    return;
  }
  if (fillWithDefault)
    change.description += ` (the ${rows(rowCount)} already there get the default ${JSON.stringify(next.default)})`;
  plan.additive.push(change);
}

interface ColumnPair {
  table: string;
  column: string;
  oldTable: string;
  oldColumn: string;
  previous: ColumnDefinition;
  next: ColumnDefinition;
}

function planTypeChange(plan: MigrationPlan, pair: ColumnPair, stats: TableStats): void {
  const { table, column, previous, next } = pair;
  const rowCount = stats.rowCount(pair.oldTable);
  const unconvertible =
    rowCount === 0 ? 0 : stats.unconvertibleCount(pair.oldTable, pair.oldColumn, previous.type, next.type);
  const base = `change column '${column}' of '${table}' from ${previous.type} to ${next.type}`;
  const mustHaveValue = !next.optional && rowCount > 0;
  const alreadyEmpty = mustHaveValue ? stats.emptyCount(pair.oldTable, pair.oldColumn) : 0;
  const fillEmptyWithDefault = mustHaveValue && next.default !== null && unconvertible + alreadyEmpty > 0;
  const change: SchemaChange = {
    kind: "change_type",
    table,
    column,
    from: previous.type,
    to: next.type,
    rowCount,
    unconvertible,
    fillEmptyWithDefault,
    description: base,
  };
  if (mustHaveValue && next.default === null && unconvertible + alreadyEmpty > 0) {
    change.description =
      `${base}: ${rows(unconvertible + alreadyEmpty)} would be left without a value ` +
      `(${unconvertible} can't be converted to ${next.type}, ${alreadyEmpty} already empty) but the column is required. ` +
      `Make it optional ("${next.type}?") or fix those values first`;
    plan.blocked.push(change);
    return;
  }
  const emptied = fillEmptyWithDefault ? `set to the default ${JSON.stringify(next.default)}` : "emptied";
  const lost =
    unconvertible > 0 ? `; ${values(unconvertible)} can't be converted to ${next.type} and will be ${emptied}` : "";
  change.description = `${base} (${rows(rowCount)}${lost})`;
  plan.destructive.push(change);
}

function planRuleChange(plan: MigrationPlan, pair: ColumnPair, stats: TableStats): void {
  const { table, column, previous, next } = pair;
  const where = `column '${column}' of '${table}'`;
  const parts: string[] = [];
  let fillEmptyWithDefault = false;
  if (previous.optional && !next.optional) {
    const empty = stats.emptyCount(pair.oldTable, pair.oldColumn);
    if (empty > 0 && next.default === null) {
      const description = `make ${where} required: ${rows(empty)} ${empty === 1 ? "has" : "have"} no value in it. Fill them in first, give it a default, or keep it optional`;
      plan.blocked.push({ kind: "change_rules", table, column, fillEmptyWithDefault, description });
      return;
    }
    fillEmptyWithDefault = empty > 0;
    const filled = fillEmptyWithDefault
      ? ` (${rows(empty)} without a value get the default ${JSON.stringify(next.default)})`
      : "";
    parts.push(`make ${where} required${filled}`);
  }
  if (!previous.optional && next.optional) parts.push(`make ${where} optional`);
  if (previous.default !== next.default) {
    parts.push(
      next.default === null
        ? `remove the default of ${where}`
        : `set the default of ${where} to ${JSON.stringify(next.default)}`,
    );
  }
  if (parts.length > 0)
    plan.additive.push({ kind: "change_rules", table, column, fillEmptyWithDefault, description: parts.join("; ") });
}

/** True when applying the plan would change anything at all. */
export function planHasChanges(plan: MigrationPlan): boolean {
  return plan.additive.length + plan.destructive.length + plan.blocked.length > 0;
}

function byLowerCaseName(record: Record<string, unknown>): Map<string, string> {
  return new Map(Object.keys(record).map((name) => [name.toLowerCase(), name]));
}

function rows(count: number): string {
  return count === 1 ? "1 row" : `${count} rows`;
}

function values(count: number): string {
  return count === 1 ? "1 value" : `${count} values`;
}
