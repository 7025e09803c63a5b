import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { freshStore, value, failure } from "../../test/data-stores";
import { AppDataStore } from "./app-data-store";

const descriptions = (changes: { description: string }[]) => changes.map((change) => change.description);

describe("planning and applying schema changes", () => {
  it("applies additive changes and keeps every row", async () => {
    const store = freshStore();
    value(await store.applySchema({ todos: { title: "text" } }, { allowDestructive: false }));
    for (const title of ["a", "b"]) value(await store.insert("todos", { title }));

    const next = {
      todos: { title: "text", due: "datetime?", done: { type: "boolean", default: false } },
      notes: { text: "text" },
    };
    const plan = value(await store.planSchema(next));
    expect(descriptions(plan.additive)).toEqual([
      "add column 'due' to 'todos'",
      `add column 'done' to 'todos' (the 2 rows already there get the default false)`,
      "create table 'notes' with columns text",
    ]);
    expect(plan.destructive).toEqual([]);
    expect(plan.blocked).toEqual([]);

    const applied = value(await store.applySchema(next, { allowDestructive: false }));
    expect(applied).toMatchObject({ version: 2, changed: true, backups: [] });
    const rows = value(await store.list("todos"));
    expect(rows.map((row) => [row.title, row.done, row.due])).toEqual([
      ["a", false, null],
      ["b", false, null],
    ]);
    expect(value(await store.insert("notes", { text: "hi" }))).toMatchObject({ id: 1, text: "hi" });

    expect(value(await store.applySchema(next, { allowDestructive: false }))).toMatchObject({
      version: 2,
      changed: false,
    });
  });

  it("blocks a new required column without default on a table that has rows, and explains the fix", async () => {
    const store = freshStore();
    value(await store.applySchema({ todos: { title: "text" }, empty: { a: "text" } }, { allowDestructive: false }));
    value(await store.insert("todos", { title: "a" }));
    const result = failure(
      await store.applySchema(
        { todos: { title: "text", due: "datetime" }, empty: { a: "text", b: "text" } },
        { allowDestructive: true },
      ),
    );
    expect(result.code).toBe("blocked_change");
    expect(result.message).toContain(
      `add required column 'due' to 'todos': its 1 row would have no value in it. Make it optional ("datetime?") or give it a default ({ type: "datetime", default: ... })`,
    );
    expect(result.details?.plan?.additive.map((change) => change.description)).toEqual(["add column 'b' to 'empty'"]);
    expect(value(await store.describe()).version).toBe(1);
    expect(
      value(
        await store.applySchema(
          {
            todos: { title: "text", due: { type: "datetime", optional: false, default: "2026-01-01" } },
            empty: { a: "text" },
          },
          { allowDestructive: false },
        ),
      ).changed,
    ).toBe(true);
    expect(value(await store.get("todos", 1))).toMatchObject({ due: "2026-01-01" });
  });

  it("refuses destructive changes without confirmation and changes nothing", async () => {
    const store = freshStore();
    const v1 = { items: { name: "text", note: "text?", price: "text" }, notes: { text: "text" } };
    value(await store.applySchema(v1, { allowDestructive: false }));
    for (const [name, price] of [
      ["pen", "1.5"],
      ["ink", "2"],
      ["pad", "cheap"],
    ])
      value(await store.insert("items", { name, note: `about ${name}`, price }));
    for (const text of ["x", "y"]) value(await store.insert("notes", { text }));
    const before = {
      described: value(await store.describe()),
      items: value(await store.list("items")),
      notes: value(await store.list("notes")),
    };

    const v2 = { items: { name: "text", price: "number?" } };
    const result = failure(await store.applySchema(v2, { allowDestructive: false }));
    expect(result.code).toBe("destructive_change");
    expect(descriptions(result.details?.plan?.destructive ?? [])).toEqual([
      "drop table 'notes' (2 rows)",
      "drop column 'note' from 'items' (3 rows)",
      "change column 'price' of 'items' from text to number (3 rows; 1 value can't be converted to number and will be emptied)",
    ]);
    expect(result.message).toContain("nothing was changed");

    expect(value(await store.describe())).toEqual(before.described);
    expect(value(await store.list("items"))).toEqual(before.items);
    expect(value(await store.list("notes"))).toEqual(before.notes);
    expect(value(await store.planSchema(v2)).destructive).toHaveLength(3);
  });

  it("with confirmation, keeps dropped and retyped data recoverable in backup tables", async () => {
    const store = freshStore();
    value(
      await store.applySchema(
        { items: { name: "text", note: "text?", price: "text" }, notes: { text: "text" } },
        { allowDestructive: false },
      ),
    );
    for (const [name, price] of [
      ["pen", "1.5"],
      ["ink", "2"],
      ["pad", "cheap"],
    ])
      value(await store.insert("items", { name, note: name === "ink" ? null : `about ${name}`, price }));
    for (const text of ["x", "y"]) value(await store.insert("notes", { text }));

    const applied = value(
      await store.applySchema({ items: { name: "text", price: "number?" } }, { allowDestructive: true }),
    );
    expect(applied.version).toBe(2);
    const byKind = Object.fromEntries(applied.backups.map((backup) => [backup.kind, backup]));
    expect(byKind.table).toMatchObject({ table: "notes", column: null, rowCount: 2 });
    expect(byKind.table?.name).toMatch(/^_kiln_dropped_notes_\d{8}T\d{6}Z$/);
    expect(byKind.column).toMatchObject({ table: "items", column: "note", rowCount: 2 });
    expect(byKind.column?.name).toMatch(/^_kiln_dropped_items__note_\d{8}T\d{6}Z$/);
    expect(byKind.retyped_column).toMatchObject({ table: "items", column: "price", rowCount: 3 });

    expect(value(await store.list("items")).map((row) => [row.name, row.price, row.note])).toEqual([
      ["pen", 1.5, undefined],
      ["ink", 2, undefined],
      ["pad", null, undefined],
    ]);
    expect(value(await store.insert("items", { name: "cap", price: 3 }))).toMatchObject({ price: 3 });

    const droppedTable = value(await store.listRows(byKind.table?.name ?? "", {}));
    expect(droppedTable.rows.map((row) => row.text)).toEqual(["x", "y"]);
    const droppedColumn = value(await store.listRows(byKind.column?.name ?? "", {}));
    expect(droppedColumn.rows).toEqual([
      { row_id: 1, value: "about pen" },
      { row_id: 3, value: "about pad" },
    ]);
    const retyped = value(await store.listRows(byKind.retyped_column?.name ?? "", {}));
    expect(retyped.rows).toEqual([
      { row_id: 1, value: "1.5" },
      { row_id: 2, value: "2" },
      { row_id: 3, value: "cheap" },
    ]);
    expect(
      value(await store.describe())
        .backups.map((backup) => backup.name)
        .sort(),
    ).toEqual(applied.backups.map((backup) => backup.name).sort());

    value(
      await store.applySchema(
        { items: { name: "text", price: "number?" }, notes: { text: "text" } },
        { allowDestructive: false },
      ),
    );
    expect(value(await store.count("notes"))).toBe(0);
  });

  it("treats a rename as a drop plus an add, so it needs confirmation", async () => {
    const store = freshStore();
    value(await store.applySchema({ todos: { title: "text" } }, { allowDestructive: false }));
    value(await store.insert("todos", { title: "a" }));
    const plan = value(await store.planSchema({ todos: { name: "text?" } }));
    expect(descriptions(plan.destructive)).toEqual(["drop column 'title' from 'todos' (1 row)"]);
    expect(descriptions(plan.additive)).toEqual(["add column 'name' to 'todos'"]);
  });

  it("renames when only capital letters change, without losing rows", async () => {
    const store = freshStore();
    value(await store.applySchema({ Todos: { Title: "text" } }, { allowDestructive: false }));
    value(await store.insert("Todos", { Title: "a" }));
    const applied = value(await store.applySchema({ todos: { title: "text" } }, { allowDestructive: false }));
    expect(descriptions(applied.plan.additive)).toEqual([
      "rename table 'Todos' to 'todos'",
      "rename column 'Title' of 'todos' to 'title'",
    ]);
    expect(value(await store.list("todos"))).toMatchObject([{ title: "a" }]);
  });

  it("makes a column required only when every row has a value (or a default fills the gaps)", async () => {
    const store = freshStore();
    value(await store.applySchema({ todos: { title: "text", note: "text?" } }, { allowDestructive: false }));
    value(await store.insert("todos", { title: "a" }));
    value(await store.insert("todos", { title: "b", note: "x" }));
    const blocked = failure(
      await store.applySchema({ todos: { title: "text", note: "text" } }, { allowDestructive: true }),
    );
    expect(blocked.message).toContain("make column 'note' of 'todos' required: 1 row has no value in it.");
    const filled = value(
      await store.applySchema(
        { todos: { title: "text", note: { type: "text", optional: false, default: "-" } } },
        { allowDestructive: false },
      ),
    );
    expect(descriptions(filled.plan.additive)).toEqual([
      `make column 'note' of 'todos' required (1 row without a value get the default "-"); set the default of column 'note' of 'todos' to "-"`,
    ]);
    expect(value(await store.list("todos")).map((row) => row.note)).toEqual(["-", "x"]);
  });

  it("blocks a type change that would leave a required column empty", async () => {
    const store = freshStore();
    value(await store.applySchema({ items: { price: "text" } }, { allowDestructive: false }));
    value(await store.insert("items", { price: "cheap" }));
    const blocked = failure(await store.applySchema({ items: { price: "number" } }, { allowDestructive: true }));
    expect(blocked.code).toBe("blocked_change");
    expect(blocked.message).toContain(
      "1 row would be left without a value (1 can't be converted to number, 0 already empty) but the column is required",
    );
  });

  it("reloads the applied schema when the object starts again", async () => {
    const store = freshStore();
    value(await store.applySchema({ todos: { done: "boolean" } }, { allowDestructive: false }));
    value(await store.insert("todos", { done: true }));
    const restarted = await runInDurableObject(store, (_instance: AppDataStore, state) => {
      const fresh = new AppDataStore(state, env);
      return { described: fresh.describe(), row: fresh.get("todos", 1) };
    });
    expect(value(restarted.described)).toMatchObject({ version: 1, tables: [{ name: "todos", rowCount: 1 }] });
    expect(value(restarted.row)).toMatchObject({ done: true });
  });

  it("reports invalid tables with every problem", async () => {
    const result = failure(await freshStore().applySchema({ todos: { done: "bool" } }, { allowDestructive: false }));
    expect(result.code).toBe("invalid");
    expect(result.details?.problems).toEqual([
      "table 'todos': column 'done' has unknown type 'bool'; use one of text, integer, number, boolean, json, datetime",
    ]);
  });

  it("destroys everything when the app is deleted", async () => {
    const store = freshStore();
    value(await store.applySchema({ todos: { title: "text" } }, { allowDestructive: false }));
    value(await store.insert("todos", { title: "a" }));
    value(await store.destroy());
    expect(value(await store.describe())).toEqual({ version: 0, tables: [], backups: [] });
    const tables = await runInDurableObject(store, (_instance: AppDataStore, state) =>
      state.storage.sql.exec("select name from sqlite_master where name not like '_cf_%'").toArray(),
    );
    expect(tables).toEqual([]);
  });
});
