import { describe, expect, it } from "vitest";
import { freshStore, value, failure } from "../../test/data-stores";

const TABLES = {
  todos: {
    title: "text",
    done: { type: "boolean", default: false },
    priority: "integer?",
    score: "number?",
    tags: "json?",
    due: "datetime?",
  },
};

async function storeWithTodos() {
  const store = freshStore("rows");
  value(await store.applySchema(TABLES, { allowDestructive: false }));
  return store;
}

describe("row operations", () => {
  it("inserts with defaults and system columns, and reads back typed values", async () => {
    const store = await storeWithTodos();
    const row = value(
      await store.insert("todos", {
        title: "Buy milk",
        tags: { list: ["a", 1], nested: { ok: true } },
        due: "2026-12-01T09:30:00Z",
      }),
    );
    expect(row).toMatchObject({
      id: 1,
      title: "Buy milk",
      done: false,
      priority: null,
      score: null,
      tags: { list: ["a", 1], nested: { ok: true } },
      due: "2026-12-01T09:30:00Z",
    });
    expect(row.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(row.updated_at).toBe(row.created_at);
    expect(value(await store.get("todos", 1))).toEqual(row);
    expect(value(await store.get("todos", 999))).toBeNull();
  });

  it("round-trips booleans as true/false and json as data, including null and strings", async () => {
    const store = await storeWithTodos();
    const yes = value(await store.insert("todos", { title: "a", done: true, tags: "just text" }));
    const no = value(await store.insert("todos", { title: "b", done: false, tags: [1, 2, 3] }));
    const empty = value(await store.insert("todos", { title: "c", tags: null }));
    expect([yes.done, no.done, empty.done]).toEqual([true, false, false]);
    expect([yes.tags, no.tags, empty.tags]).toEqual(["just text", [1, 2, 3], null]);
    const stored = await store.query("select done, tags from todos order by id", []);
    expect(value(stored)).toEqual([
      { done: 1, tags: '"just text"' },
      { done: 0, tags: "[1,2,3]" },
      { done: 0, tags: null },
    ]);
  });

  it("accepts a Date for a datetime column and stores it as ISO text", async () => {
    const store = await storeWithTodos();
    const row = value(await store.insert("todos", { title: "a", due: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) }));
    expect(row.due).toBe("2026-01-02T03:04:05.000Z");
  });

  it("refuses values of the wrong type with the column, table and value in the message", async () => {
    const store = await storeWithTodos();
    expect(failure(await store.insert("todos", { title: "a", done: "yes" }))).toEqual({
      code: "invalid",
      message: `Column 'done' of 'todos' expects true or false, got "yes".`,
    });
    expect(failure(await store.insert("todos", { title: 5 })).message).toBe(
      "Column 'title' of 'todos' expects text, got 5.",
    );
    expect(failure(await store.insert("todos", { title: "a", priority: 1.5 })).message).toContain(
      "expects a whole number, got 1.5",
    );
    expect(failure(await store.insert("todos", { title: "a", score: Number.NaN })).message).toContain(
      "expects a number, got NaN",
    );
    expect(failure(await store.insert("todos", { title: "a", due: "next week" })).message).toContain("ISO-8601");
    expect(failure(await store.insert("todos", { title: "a", due: "2026-02-30" })).message).toContain("ISO-8601");
    expect(value(await store.count("todos"))).toBe(0);
  });

  it("explains missing required values, null in required columns, unknown and system columns", async () => {
    const store = await storeWithTodos();
    expect(failure(await store.insert("todos", { done: true })).message).toBe(
      "Column 'title' of 'todos' is required; give it a value.",
    );
    expect(failure(await store.insert("todos", { title: null })).message).toBe(
      "Column 'title' of 'todos' is required, so it can't be null.",
    );
    expect(failure(await store.insert("todos", { title: "a", colour: "red" })).message).toBe(
      "Table 'todos' has no column 'colour'; its columns are id, created_at, updated_at, title, done, priority, score, tags, due.",
    );
    expect(failure(await store.insert("todos", { title: "a", id: 7 })).message).toBe(
      "Column 'id' of 'todos' is set by Kiln; leave it out.",
    );
    expect(failure(await store.insert("todos", "title")).message).toContain("must be an object of column values");
    const missingTable = failure(await store.insert("notes", { text: "x" }));
    expect(missingTable).toEqual({
      code: "not_found",
      message: "This app has no table 'notes'; its tables are todos.",
    });
  });

  it("says clearly when no tables were declared yet", async () => {
    const store = freshStore("rows");
    expect(failure(await store.list("todos")).message).toContain("it declares no tables yet");
  });

  it("updates only the given columns, checks types and bumps updated_at", async () => {
    const store = await storeWithTodos();
    const row = value(await store.insert("todos", { title: "a", priority: 2 }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = value(await store.update("todos", 1, { done: true, priority: null }));
    expect(updated).toMatchObject({ id: 1, title: "a", done: true, priority: null, created_at: row.created_at });
    expect(String(updated?.updated_at) > String(row.updated_at)).toBe(true);
    expect(failure(await store.update("todos", 1, { done: 1 })).message).toBe(
      "Column 'done' of 'todos' expects true or false, got 1.",
    );
    expect(failure(await store.update("todos", 1, { title: null })).message).toContain(
      "is required, so it can't be null",
    );
    expect(value(await store.update("todos", 42, { done: true }))).toBeNull();
    expect(value(await store.update("todos", 1, {}))).toEqual(updated);
    expect(failure(await store.update("todos", 1, { updated_at: "2020-01-01" })).message).toContain("is set by Kiln");
  });

  it("deletes rows and reports whether a row was there", async () => {
    const store = await storeWithTodos();
    value(await store.insert("todos", { title: "a" }));
    expect(value(await store.delete("todos", 1))).toBe(true);
    expect(value(await store.delete("todos", 1))).toBe(false);
    expect(failure(await store.get("todos", "1" as unknown as number)).message).toBe(
      `A row id must be a whole number, got "1" (convert text from a URL with Number(...)).`,
    );
  });

  it("lists with where, order, limit and offset", async () => {
    const store = await storeWithTodos();
    for (const [title, done, priority] of [
      ["a", false, 3],
      ["b", true, 1],
      ["c", false, 2],
      ["d", true, null],
      ["e", false, 1],
    ] as const) {
      value(await store.insert("todos", { title, done, priority }));
    }
    const titles = (rows: Record<string, unknown>[]) => rows.map((row) => row.title);
    expect(titles(value(await store.list("todos")))).toEqual(["a", "b", "c", "d", "e"]);
    expect(titles(value(await store.list("todos", { where: { done: false } })))).toEqual(["a", "c", "e"]);
    expect(titles(value(await store.list("todos", { where: { done: false, priority: 1 } })))).toEqual(["e"]);
    expect(titles(value(await store.list("todos", { where: { priority: null } })))).toEqual(["d"]);
    expect(titles(value(await store.list("todos", { orderBy: "priority", order: "desc" })))).toEqual([
      "a",
      "c",
      "e",
      "b",
      "d",
    ]);
    expect(titles(value(await store.list("todos", { orderBy: "id", order: "desc", limit: 2, offset: 1 })))).toEqual([
      "d",
      "c",
    ]);
    expect(titles(value(await store.list("todos", { where: { id: 3 } })))).toEqual(["c"]);
    expect(value(await store.count("todos", { done: true }))).toBe(2);
    expect(value(await store.count("todos"))).toBe(5);
  });

  it("applies the default and maximum list limits and refuses bad options", async () => {
    const store = await storeWithTodos();
    for (let i = 0; i < 105; i += 1) value(await store.insert("todos", { title: `t${i}` }));
    expect(value(await store.list("todos"))).toHaveLength(100);
    expect(value(await store.list("todos", { limit: 1000 }))).toHaveLength(105);
    expect(failure(await store.list("todos", { limit: 1001 })).message).toContain(
      "'limit' must be a whole number from 0 to 1000",
    );
    expect(failure(await store.list("todos", { offset: -1 })).message).toContain(
      "'offset' must be a whole number 0 or more",
    );
    expect(failure(await store.list("todos", { orderby: "title" })).message).toBe(
      "Unknown list option 'orderby'; the options are where, orderBy, order, limit, offset.",
    );
    expect(failure(await store.list("todos", { orderBy: "colour" })).message).toContain("has no column 'colour'");
    expect(failure(await store.list("todos", { order: "up" })).message).toBe(
      `'order' must be "asc" or "desc", got "up".`,
    );
    expect(failure(await store.list("todos", { where: { done: "no" } })).message).toContain("expects true or false");
    expect(failure(await store.list("todos", { where: { tags: ["a"] } })).message).toContain("json_extract");
  });

  it("pages any table for the admin API with the total", async () => {
    const store = await storeWithTodos();
    for (const title of ["a", "b", "c"]) value(await store.insert("todos", { title }));
    const page = value(await store.listRows("todos", { limit: 2, offset: 1 }));
    expect(page.total).toBe(3);
    expect(page.rows.map((row) => row.title)).toEqual(["b", "c"]);
    const described = value(await store.describe());
    expect(described.tables).toEqual([
      {
        name: "todos",
        rowCount: 3,
        columns: [
          { name: "title", type: "text", optional: false, default: null },
          { name: "done", type: "boolean", optional: true, default: false },
          { name: "priority", type: "integer", optional: true, default: null },
          { name: "score", type: "number", optional: true, default: null },
          { name: "tags", type: "json", optional: true, default: null },
          { name: "due", type: "datetime", optional: true, default: null },
        ],
      },
    ]);
  });
});
