import { describe, expect, it } from "vitest";
import { freshStore, value, failure } from "../../test/data-stores";
import { checkAppQuery } from "./sql-guard";

async function storeWithTodos() {
  const store = freshStore("query");
  value(
    await store.applySchema(
      { todos: { title: "text", done: "boolean", order: "integer?" } },
      { allowDestructive: false },
    ),
  );
  for (const [title, done] of [
    ["a", false],
    ["b", true],
    ["c", false],
  ] as const)
    value(await store.insert("todos", { title, done, order: 1 }));
  return store;
}

describe("query()", () => {
  it("runs parametrised SQL and returns plain rows; booleans bind as 0/1", async () => {
    const store = await storeWithTodos();
    expect(value(await store.query("select title from todos where done = ? order by id", [false]))).toEqual([
      { title: "a" },
      { title: "c" },
    ]);
    expect(value(await store.query(`select count(*) as n, "order" from todos where title like ? ;`, ["%"]))).toEqual([
      { n: 3, order: 1 },
    ]);
    expect(value(await store.query("select 'it''s; sqlite_master -- not a comment' as text"))).toEqual([
      { text: "it's; sqlite_master -- not a comment" },
    ]);
    expect(value(await store.query("update todos set done = ? where title = ? returning id", [true, "a"]))).toEqual([
      { id: 1 },
    ]);
    expect(value(await store.count("todos", { done: true }))).toBe(2);
  });

  it("refuses Kiln's and SQLite's own tables", async () => {
    const store = await storeWithTodos();
    for (const sql of [
      "select * from _kiln_schema",
      `select * from "_kiln_schema"`,
      "select * from [_KILN_backups]",
      "select name from sqlite_master",
      "select * from main.sqlite_schema",
      "select * from todos, pragma_table_info('todos')",
      "select * from todos where id in (select rowid from _cf_KV)",
    ]) {
      const error = failure(await store.query(sql, []));
      expect(error.code, sql).toBe("query_refused");
      expect(error.message).toContain("can only use the app's own tables");
    }
  });

  it("refuses PRAGMA, ATTACH, DETACH, schema changes and transactions", async () => {
    const store = await storeWithTodos();
    expect(failure(await store.query("PRAGMA table_info(todos)", []))).toEqual({
      code: "query_refused",
      message:
        "query() runs only SELECT, INSERT, UPDATE or DELETE statements; to add or change tables, edit `tables` in the app.",
    });
    expect(failure(await store.query("attach database 'x' as y", [])).code).toBe("query_refused");
    expect(failure(await store.query("select 1; detach y", [])).code).toBe("query_refused");
    expect(failure(await store.query("drop table todos", [])).code).toBe("query_refused");
    expect(failure(await store.query("begin", [])).code).toBe("query_refused");
    expect(
      failure(
        await store.query("with x as (select 1) select * from x where 1 = (select 1 from todos where pragma)", []),
      ).message,
    ).toBe("query() may not use PRAGMA.");
    expect(value(await store.count("todos"))).toBe(3);
  });

  it("refuses two statements, even when the second hides after a comment", async () => {
    const store = await storeWithTodos();
    expect(failure(await store.query("select 1; delete from todos", []))).toEqual({
      code: "query_refused",
      message: "query() runs one statement at a time; split it into separate query() calls.",
    });
    expect(failure(await store.query("select 1 /* ; */; -- x\n delete from todos", [])).code).toBe("query_refused");
    expect(value(await store.query("select 1 as one; -- trailing comment", []))).toEqual([{ one: 1 }]);
    expect(value(await store.count("todos"))).toBe(3);
  });

  it("checks placeholders and parameter values", async () => {
    const store = await storeWithTodos();
    expect(failure(await store.query("select * from todos where id = ? and done = ?", [1])).message).toBe(
      "The SQL has 2 ? placeholders but 1 value was given.",
    );
    expect(failure(await store.query("select * from todos where id = :id", [])).message).toContain(
      "plain ? placeholders only",
    );
    expect(failure(await store.query("select * from todos where id = ?1", [1])).message).toContain("not ?1");
    const objectParam = [{ a: 1 }] as unknown as string[];
    expect(failure(await store.query("select ?", objectParam)).message).toBe(
      "query() parameter 1 must be text, a number, true/false or null; got an object (use JSON.stringify for JSON data).",
    );
    expect(failure(await store.query("select * from nope", []))).toMatchObject({
      code: "invalid",
      message: expect.stringContaining("no such table: nope"),
    });
  });

  it("stops a runaway query instead of returning unbounded rows", async () => {
    const store = await storeWithTodos();
    const runaway = failure(
      await store.query("with recursive c(x) as (select 1 union all select x + 1 from c) select x from c", []),
    );
    expect(runaway).toEqual({
      code: "invalid",
      message: "query() returned more than 10000 rows; add a LIMIT and page with OFFSET.",
    });
  });

  it("tokenizes quoted names and strings without being fooled", () => {
    expect(checkAppQuery(`select "weird""name" from todos where title = 'a''?'`, []).params).toEqual([]);
    expect(() => checkAppQuery(`select * from "sqlite_master"`, [])).toThrow("belongs to the database or to Kiln");
    expect(checkAppQuery("select ? as a, ? as b", [true, null]).params).toEqual([1, null]);
  });
});
