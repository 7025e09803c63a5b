import { z } from "zod";
import type { ColumnType } from "../../sdk/kiln/index";
import { valueProblem } from "./column-values";
import { DataError } from "./result";
import type { ColumnDefault } from "../core/api-shapes/data";

/** A column default as the app declared it (already checked against the column type). */

/** Every column type an app may declare, in the order error messages list them. */
export const COLUMN_TYPES = [
  "text",
  "integer",
  "number",
  "boolean",
  "json",
  "datetime",
] as const satisfies readonly ColumnType[];

/** Columns Kiln adds to every table; apps may read and filter them but never declare or write them. */
export const SYSTEM_COLUMNS = ["id", "created_at", "updated_at"] as const;

/** Hard limits on what one app may declare, so a runaway schema cannot hurt the Durable Object. */
export const SCHEMA_LIMITS = { tables: 50, columnsPerTable: 100, nameLength: 63 } as const;

/**
 * One column after normalisation. As in the SDK, a column is optional (accepts and returns null)
 * when declared `"type?"`, `optional: true`, or with a `default` and no `optional` setting; an
 * explicit `optional: false` with a default means "never null, filled with the default when left out".
 * Normalising an already normalised schema returns it unchanged.
 */
export interface ColumnDefinition {
  type: ColumnType;
  optional: boolean;
  /** Used when an insert leaves the column out; `null` means "no default". */
  default: ColumnDefault;
}

/** The declared columns of one table by name (system columns are implied, not listed). */
export type TableDefinition = Record<string, ColumnDefinition>;

/** The whole normalised schema of one app database: table name → column name → definition. */
export type AppSchema = Record<string, TableDefinition>;

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

const columnSpecShape = z.strictObject({
  type: z.string(),
  optional: z.boolean().optional(),
  default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
});

const plainRecord = z.record(z.string(), z.unknown());

/**
 * Validates the `tables` an app exports (untrusted input) and returns the normalised schema.
 * Throws `DataError("invalid")` listing every problem in words a non-programmer can act on.
 */
export function normaliseTables(input: unknown): AppSchema {
  if (input === undefined || input === null) return {};
  const tables = plainRecord.safeParse(input);
  if (!tables.success || Array.isArray(input)) {
    throw schemaError([`'tables' must be an object of tables, like { todos: { title: "text", done: "boolean" } }`]);
  }
  const problems: string[] = [];
  const schema: AppSchema = {};
  const tableNames = Object.keys(tables.data);
  if (tableNames.length > SCHEMA_LIMITS.tables) {
    problems.push(`an app may have at most ${SCHEMA_LIMITS.tables} tables; this one declares ${tableNames.length}`);
  }
  problems.push(...caseClashes("tables", tableNames, ""));
  for (const tableName of tableNames) {
    const nameIssue = nameProblem("table", tableName);
    if (nameIssue) {
      problems.push(nameIssue);
      continue;
    }
    const table = normaliseTable(tableName, tables.data[tableName], problems);
    if (table) schema[tableName] = table;
  }
  if (problems.length > 0) throw schemaError(problems);
  return schema;
}

function normaliseTable(tableName: string, declaration: unknown, problems: string[]): TableDefinition | null {
  const columns = plainRecord.safeParse(declaration);
  if (!columns.success || Array.isArray(declaration)) {
    problems.push(`table '${tableName}' must be an object of columns, like { title: "text", done: "boolean" }`);
    return null;
  }
  const columnNames = Object.keys(columns.data);
  if (columnNames.length > SCHEMA_LIMITS.columnsPerTable) {
    problems.push(
      `table '${tableName}' has ${columnNames.length} columns; the limit is ${SCHEMA_LIMITS.columnsPerTable}`,
    );
  }
  problems.push(...caseClashes("columns", columnNames, `table '${tableName}': `));
  const table: TableDefinition = {};
  for (const columnName of columnNames) {
    const where = `table '${tableName}': column '${columnName}'`;
    const nameIssue = nameProblem("column", columnName);
    if (nameIssue) {
      problems.push(`table '${tableName}': ${nameIssue}`);
      continue;
    }
    const column = normaliseColumn(where, columns.data[columnName], problems);
    if (column) table[columnName] = column;
  }
  return table;
}

function normaliseColumn(where: string, declaration: unknown, problems: string[]): ColumnDefinition | null {
  if (typeof declaration === "string") {
    const optional = declaration.endsWith("?");
    const type = parseType(where, optional ? declaration.slice(0, -1) : declaration, problems);
    return type ? { type, optional, default: null } : null;
  }
  const spec = columnSpecShape.safeParse(declaration);
  if (!spec.success) {
    for (const issue of spec.error.issues) problems.push(`${where} ${describeSpecIssue(issue)}`);
    return null;
  }
  const type = parseType(where, spec.data.type, problems);
  if (!type) return null;
  const declaredDefault = spec.data.default;
  if (declaredDefault !== undefined && declaredDefault !== null) {
    const issue = valueProblem(type, declaredDefault);
    if (issue) {
      problems.push(`${where} has a default that does not fit its type: it ${issue}`);
      return null;
    }
  }
  return {
    type,
    optional: spec.data.optional ?? declaredDefault !== undefined,
    default: declaredDefault ?? null,
  };
}

function parseType(where: string, name: string, problems: string[]): ColumnType | null {
  const known = COLUMN_TYPES.find((type) => type === name);
  if (known) return known;
  const hint = name.endsWith("?")
    ? `; in the long form write { type: "${name.slice(0, -1)}", optional: true }`
    : `; use one of ${COLUMN_TYPES.join(", ")}`;
  problems.push(`${where} has unknown type '${name}'${hint}`);
  return null;
}

function describeSpecIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `has unknown setting${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `'${key}'`).join(", ")}; only type, optional and default are allowed`;
  }
  const field = issue.path[0];
  if (field === "type") return `needs a 'type', one of ${COLUMN_TYPES.join(", ")}`;
  if (field === "optional") return `has 'optional' set to something other than true or false`;
  if (field === "default") return `has a 'default' that is not text, a number, true/false or null`;
  return `must be a type such as "text" or "text?", or an object like { type: "text", optional: true }`;
}

/** Explains why `name` cannot be used for a table or column, or returns null when it can. */
export function nameProblem(kind: "table" | "column", name: string): string | null {
  const label = `${kind} name '${name}'`;
  if (name.length === 0) return `a ${kind} name is empty; give it a name`;
  if (name.length > SCHEMA_LIMITS.nameLength)
    return `${label} is too long (${name.length} characters; at most ${SCHEMA_LIMITS.nameLength})`;
  if (!NAME_PATTERN.test(name)) return `${label} must start with a letter and use only letters, digits and _`;
  const lower = name.toLowerCase();
  if (lower.startsWith("sqlite_") || lower.startsWith("_kiln"))
    return `${label} is reserved by the database; choose another name`;
  if (kind === "column" && (SYSTEM_COLUMNS as readonly string[]).includes(lower)) {
    return `column '${name}' is added by Kiln to every table automatically; remove it from the declaration`;
  }
  return null;
}

/** The database ignores letter case in names, so `Title` and `title` would be the same column. */
function caseClashes(what: "tables" | "columns", names: string[], prefix: string): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const name of names) {
    const earlier = seen.get(name.toLowerCase());
    if (earlier !== undefined) {
      problems.push(
        `${prefix}${what} '${earlier}' and '${name}' differ only in capital letters, which the database treats as the same name`,
      );
    } else {
      seen.set(name.toLowerCase(), name);
    }
  }
  return problems;
}

function schemaError(problems: string[]): DataError {
  const summary =
    problems.length === 1 ? problems[0] : `${problems.length} problems in 'tables': ${problems.join("; ")}`;
  return new DataError("invalid", `Invalid tables: ${summary}`, { problems });
}
