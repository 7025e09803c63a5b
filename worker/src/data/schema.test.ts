import { describe, expect, it } from "vitest";
import { DataError } from "./result";
import { normaliseTables, SCHEMA_LIMITS } from "./schema";

function problemsOf(tables: unknown): string[] {
  try {
    normaliseTables(tables);
  } catch (error) {
    if (error instanceof DataError) return error.details?.problems ?? [error.message];
    throw error;
  }
  throw new Error("expected the tables to be refused");
}

describe("normaliseTables", () => {
  it("normalises short and long column forms the way the SDK types them", () => {
    const schema = normaliseTables({
      todos: {
        title: "text",
        note: "text?",
        done: { type: "boolean", default: false },
        priority: { type: "integer", optional: true },
        tags: { type: "json", optional: false, default: null },
        due: { type: "datetime", optional: false, default: "2026-01-01" },
      },
    });
    expect(schema).toEqual({
      todos: {
        title: { type: "text", optional: false, default: null },
        note: { type: "text", optional: true, default: null },
        done: { type: "boolean", optional: true, default: false },
        priority: { type: "integer", optional: true, default: null },
        tags: { type: "json", optional: false, default: null },
        due: { type: "datetime", optional: false, default: "2026-01-01" },
      },
    });
    expect(normaliseTables(schema)).toEqual(schema);
  });

  it("treats a missing `tables` export as no tables", () => {
    expect(normaliseTables(undefined)).toEqual({});
    expect(normaliseTables({})).toEqual({});
  });

  it("explains an unknown type and lists the valid ones", () => {
    expect(problemsOf({ todos: { done: "bool" } })).toEqual([
      "table 'todos': column 'done' has unknown type 'bool'; use one of text, integer, number, boolean, json, datetime",
    ]);
    expect(problemsOf({ todos: { done: { type: "boolean?" } } })[0]).toContain(
      `write { type: "boolean", optional: true }`,
    );
  });

  it("refuses bad, reserved and clashing names", () => {
    expect(problemsOf({ "2do": { a: "text" } })).toEqual([
      "table name '2do' must start with a letter and use only letters, digits and _",
    ]);
    expect(problemsOf({ "my todos": { a: "text" } })[0]).toContain("only letters, digits and _");
    expect(problemsOf({ sqlite_stuff: { a: "text" } })[0]).toContain("reserved");
    expect(problemsOf({ todos: { id: "integer" } })[0]).toBe(
      "table 'todos': column 'id' is added by Kiln to every table automatically; remove it from the declaration",
    );
    expect(problemsOf({ todos: { Created_At: "text" } })[0]).toContain("added by Kiln");
    expect(problemsOf({ todos: { _kiln_x: "text" } })[0]).toContain("must start with a letter");
    expect(problemsOf({ todos: { ["a".repeat(64)]: "text" } })[0]).toContain("too long");
    expect(problemsOf({ todos: { Title: "text", title: "text" } })[0]).toContain("differ only in capital letters");
    expect(problemsOf({ Todos: {}, todos: {} })[0]).toContain("tables 'Todos' and 'todos'");
  });

  it("checks defaults and settings against the column type", () => {
    expect(problemsOf({ todos: { done: { type: "boolean", default: "yes" } } })).toEqual([
      `table 'todos': column 'done' has a default that does not fit its type: it expects true or false, got "yes"`,
    ]);
    expect(problemsOf({ todos: { n: { type: "integer", default: 1.5 } } })[0]).toContain(
      "expects a whole number, got 1.5",
    );
    expect(problemsOf({ todos: { due: { type: "datetime", default: "tomorrow" } } })[0]).toContain("ISO-8601");
    expect(problemsOf({ todos: { a: { type: "text", required: true } } })[0]).toBe(
      "table 'todos': column 'a' has unknown setting 'required'; only type, optional and default are allowed",
    );
    expect(problemsOf({ todos: { a: { optional: true } } })[0]).toContain("needs a 'type'");
    expect(problemsOf({ todos: { a: 5 } })[0]).toContain(`must be a type such as "text"`);
  });

  it("refuses shapes that are not objects", () => {
    expect(problemsOf([])[0]).toContain("'tables' must be an object");
    expect(problemsOf("todos")[0]).toContain("'tables' must be an object");
    expect(problemsOf({ todos: ["text"] })[0]).toContain("table 'todos' must be an object of columns");
  });

  it("enforces the table and column limits", () => {
    const manyTables = Object.fromEntries(Array.from({ length: SCHEMA_LIMITS.tables + 1 }, (_, i) => [`t${i}`, {}]));
    expect(problemsOf(manyTables)[0]).toContain(`at most ${SCHEMA_LIMITS.tables} tables`);
    const manyColumns = Object.fromEntries(
      Array.from({ length: SCHEMA_LIMITS.columnsPerTable + 1 }, (_, i) => [`c${i}`, "text"]),
    );
    expect(problemsOf({ wide: manyColumns })[0]).toContain(`the limit is ${SCHEMA_LIMITS.columnsPerTable}`);
  });

  it("reports every problem at once in the error message", () => {
    try {
      normaliseTables({ todos: { done: "bool", id: "integer" } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).code).toBe("invalid");
      expect((error as DataError).message).toMatch(/^Invalid tables: 2 problems in 'tables': /);
    }
  });
});
