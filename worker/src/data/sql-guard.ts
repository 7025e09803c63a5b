import { describeValue, type StoredValue } from "./column-values";
import { DataError } from "./result";

/**
 * Checks SQL an app passes to `query()` before SQLite sees it. A small tokenizer (aware of
 * strings, quoted names and comments) enforces: one statement; only SELECT/INSERT/UPDATE/
 * DELETE (schema changes go through `tables`, so Kiln's bookkeeping stays true); no PRAGMA,
 * ATTACH or DETACH; no `_kiln*`, `sqlite_*`, `pragma_*` or `_cf_*` names; only `?` placeholders,
 * one value per placeholder.
 */

/** A statement that passed the checks, with parameters converted for SQLite (booleans → 0/1). */
export interface CheckedQuery {
  sql: string;
  params: StoredValue[];
}

/** SQLite in Durable Objects refuses longer statements; say so before it does. */
export const MAX_QUERY_LENGTH = 100_000;

const ALLOWED_FIRST_WORDS = new Set(["SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "REPLACE", "VALUES"]);
const FORBIDDEN_WORDS = new Set([
  "PRAGMA",
  "ATTACH",
  "DETACH",
  "VACUUM",
  "REINDEX",
  "ANALYZE",
  "CREATE",
  "DROP",
  "ALTER",
  "BEGIN",
  "COMMIT",
  "ROLLBACK",
  "SAVEPOINT",
  "RELEASE",
]);
const RESERVED_PREFIXES = ["_kiln", "sqlite_", "pragma_", "_cf_"];

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

type Token =
  | { kind: "word"; text: string }
  | { kind: "name"; text: string }
  | { kind: "placeholder" }
  | { kind: "end"; at: number };

/** Validates an app's `query(sql, params)` call; throws `query_refused` or `invalid` with the reason. */
export function checkAppQuery(sql: unknown, params: unknown): CheckedQuery {
  if (typeof sql !== "string" || sql.trim() === "") {
    throw new DataError(
      "invalid",
      `query() needs a SQL statement as text, like "select * from todos where done = ?"; got ${describeValue(sql)}.`,
    );
  }
  if (sql.length > MAX_QUERY_LENGTH)
    throw new DataError(
      "invalid",
      `The SQL given to query() is too long (${sql.length} characters; at most ${MAX_QUERY_LENGTH}).`,
    );
  const tokens = tokenize(sql);
  const first = tokens.find((token) => token.kind !== "end");
  if (first?.kind !== "word" || !ALLOWED_FIRST_WORDS.has(first.text.toUpperCase())) {
    throw refused(
      "query() runs only SELECT, INSERT, UPDATE or DELETE statements; to add or change tables, edit `tables` in the app",
    );
  }
  let placeholders = 0;
  let end: number | undefined;
  for (const token of tokens) {
    if (token.kind === "end") {
      end ??= token.at;
      continue;
    }
    if (end !== undefined) throw refused("query() runs one statement at a time; split it into separate query() calls");
    if (token.kind === "placeholder") placeholders += 1;
    else checkName(token);
  }
  const values = checkParams(params);
  if (values.length !== placeholders) {
    throw new DataError(
      "invalid",
      `The SQL has ${placeholders} ? placeholder${placeholders === 1 ? "" : "s"} but ${values.length} value${values.length === 1 ? " was" : "s were"} given.`,
    );
  }
  // Cut at the first `;`: SQLite refuses a trailing comment as "no statement".
  return { sql: end === undefined ? sql : sql.slice(0, end), params: values };
}

function checkName(token: { kind: "word"; text: string } | { kind: "name"; text: string }): void {
  if (token.kind === "word" && FORBIDDEN_WORDS.has(token.text.toUpperCase())) {
    throw refused(`query() may not use ${token.text.toUpperCase()}`);
  }
  const lower = token.text.toLowerCase();
  if (RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
    throw refused(
      `query() can only use the app's own tables and columns; '${token.text}' belongs to the database or to Kiln`,
    );
  }
}

function checkParams(params: unknown): StoredValue[] {
  if (params === undefined || params === null) return [];
  if (!Array.isArray(params))
    throw new DataError(
      "invalid",
      `query() parameters must be a list, like ["Buy milk", false]; got ${describeValue(params)}.`,
    );
  return params.map((value: unknown, index) => {
    if (value === null || typeof value === "string") return value;
    if (typeof value === "boolean") return value ? 1 : 0;
    if (typeof value === "number" && Number.isFinite(value)) return value;
    const hint = typeof value === "object" ? " (use JSON.stringify for JSON data)" : "";
    throw new DataError(
      "invalid",
      `query() parameter ${index + 1} must be text, a number, true/false or null; got ${describeValue(value)}${hint}.`,
    );
  });
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < sql.length) {
    const char = sql[at] ?? "";
    const next = sql[at + 1] ?? "";
    if (/\s/.test(char)) at += 1;
    else if (char === "-" && next === "-") at = indexAfter(sql, "\n", at + 2);
    else if (char === "/" && next === "*") at = indexAfter(sql, "*/", at + 2);
    else if (char === "'") at = skipQuoted(sql, at, "'");
    else if (char === '"' || char === "`" || char === "[") {
      const close = char === "[" ? "]" : char;
      const end = skipQuoted(sql, at, close);
      tokens.push({ kind: "name", text: sql.slice(at + 1, end - 1).replaceAll(close + close, close) });
      at = end;
    } else if (char === ";") {
      tokens.push({ kind: "end", at });
      at += 1;
    } else if (char === "?") {
      if (/[0-9]/.test(next))
        throw new DataError(
          "invalid",
          "query() takes plain ? placeholders only (not ?1, ?2…); give one value per ?, in order.",
        );
      tokens.push({ kind: "placeholder" });
      at += 1;
    } else if ((char === ":" || char === "@" || char === "$") && /[A-Za-z_]/.test(next)) {
      throw new DataError(
        "invalid",
        `query() takes plain ? placeholders only, not named ones like ${char}${next}…; give one value per ?, in order.`,
      );
    } else if (/[A-Za-z_]/.test(char)) {
      WORD.lastIndex = at;
      const word = WORD.exec(sql)?.[0] ?? char;
      tokens.push({ kind: "word", text: word });
      at += word.length;
    } else at += 1;
  }
  return tokens;
}

/** Index just past the closing quote; quotes are escaped by doubling. Unterminated → end of text. */
function skipQuoted(sql: string, start: number, close: string): number {
  let at = start + 1;
  while (at < sql.length) {
    if (sql[at] === close) {
      if (close !== "]" && sql[at + 1] === close) at += 2;
      else return at + 1;
    } else at += 1;
  }
  return sql.length;
}

function indexAfter(sql: string, marker: string, from: number): number {
  const found = sql.indexOf(marker, from);
  return found === -1 ? sql.length : found + marker.length;
}

function refused(reason: string): DataError {
  return new DataError("query_refused", `${reason}.`);
}
