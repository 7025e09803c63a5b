import { env, runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AppDatabase } from "../../sdk/kiln/index";
import { AppDataStore } from "./app-data-store";
import { appDataStore } from "./app-data-store-stub";
import { createAppDatabase } from "./app-database-client";
import { INSERT_KEY_LIFETIME_MS, MAX_INSERT_KEY_LENGTH } from "./insert-keys";
import { INSERT_KEYS_TABLE } from "./sql-layout";
import { failure, freshStore, value } from "../../test/data-stores";

const TABLES = { orders: { ref: "text", cents: "integer" }, notes: { text: "text" } };

async function storeWithTables() {
  const store = freshStore("keys");
  value(await store.applySchema(TABLES, { allowDestructive: false }));
  return store;
}

describe("insert with a key", () => {
  it("writes once per key: a repeat writes nothing and returns the first row, even with other values", async () => {
    const store = await storeWithTables();
    const first = value(await store.insert("orders", { ref: "a", cents: 100 }, { key: "run-1:a" }));
    expect(first).toMatchObject({ id: 1, ref: "a", cents: 100 });
    const again = value(await store.insert("orders", { ref: "changed", cents: 999 }, { key: "run-1:a" }));
    expect(again).toEqual(first);
    expect(value(await store.list("orders"))).toEqual([first]);
  });

  it("writes a row per distinct key, and keyless inserts always write", async () => {
    const store = await storeWithTables();
    value(await store.insert("orders", { ref: "a", cents: 1 }, { key: "run-1:a" }));
    value(await store.insert("orders", { ref: "a", cents: 1 }, { key: "run-1:b" }));
    value(await store.insert("orders", { ref: "a", cents: 1 }));
    value(await store.insert("orders", { ref: "a", cents: 1 }));
    expect(value(await store.count("orders"))).toBe(4);
  });

  it("keeps keys per table", async () => {
    const store = await storeWithTables();
    const order = value(await store.insert("orders", { ref: "a", cents: 1 }, { key: "same" }));
    const note = value(await store.insert("notes", { text: "hi" }, { key: "same" }));
    expect(note).toMatchObject({ id: 1, text: "hi" });
    expect(value(await store.insert("orders", { ref: "b", cents: 2 }, { key: "same" }))).toEqual(order);
    expect(value(await store.insert("notes", { text: "again" }, { key: "same" }))).toEqual(note);
    expect([value(await store.count("orders")), value(await store.count("notes"))]).toEqual([1, 1]);
  });

  it("keeps preview's keys apart from live's", async () => {
    const appId = `app_${crypto.randomUUID()}`;
    const preview = appDataStore(env, { id: appId, slug: appId }, "preview");
    const live = appDataStore(env, { id: appId, slug: appId }, "live");
    for (const store of [preview, live]) value(await store.applySchema(TABLES, { allowDestructive: false }));
    const previewDb = createAppDatabase(preview);
    const liveDb = createAppDatabase(live);
    await previewDb.insert("orders", { ref: "draft", cents: 1 }, { key: "run-1" });
    expect(await liveDb.insert("orders", { ref: "real", cents: 2 }, { key: "run-1" })).toMatchObject({ ref: "real" });
    expect(await liveDb.list("orders")).toEqual([expect.objectContaining({ ref: "real" })]);
    expect(await previewDb.list("orders")).toEqual([expect.objectContaining({ ref: "draft" })]);
  });

  it("remembers keys when the object starts again", async () => {
    const store = await storeWithTables();
    const first = value(await store.insert("orders", { ref: "a", cents: 1 }, { key: "run-1" }));
    const restarted = await runInDurableObject(store, (_instance: AppDataStore, state) => {
      const fresh = new AppDataStore(state, env);
      return { again: fresh.insert("orders", { ref: "b", cents: 2 }, { key: "run-1" }), count: fresh.count("orders") };
    });
    expect(value(restarted.again)).toEqual(first);
    expect(value(restarted.count)).toBe(1);
  });

  it("returns the row as it is now, or as first written once it was deleted, and never writes it again", async () => {
    const store = await storeWithTables();
    const first = value(await store.insert("orders", { ref: "a", cents: 1 }, { key: "run-1" }));
    const updated = value(await store.update("orders", 1, { cents: 5 }));
    expect(value(await store.insert("orders", { ref: "a", cents: 1 }, { key: "run-1" }))).toEqual(updated);
    expect(value(await store.delete("orders", 1))).toBe(true);
    expect(value(await store.insert("orders", { ref: "a", cents: 1 }, { key: "run-1" }))).toEqual(first);
    expect(value(await store.query("delete from orders", []))).toEqual([]);
    expect(value(await store.insert("orders", { ref: "a", cents: 1 }, { key: "run-1" }))).toEqual(first);
    expect(value(await store.count("orders"))).toBe(0);
  });

  it(`forgets a key ${INSERT_KEY_LIFETIME_MS / 86_400_000} days after its insert`, async () => {
    const store = await storeWithTables();
    value(await store.insert("orders", { ref: "old", cents: 1 }, { key: "run-1" }));
    value(await store.insert("orders", { ref: "recent", cents: 1 }, { key: "run-2" }));
    await runInDurableObject(store, (_instance: AppDataStore, state) => {
      const aged = new Date(Date.now() - INSERT_KEY_LIFETIME_MS - 60_000).toISOString();
      state.storage.sql.exec(`UPDATE ${INSERT_KEYS_TABLE} SET created_at = ? WHERE key = 'run-1'`, aged);
    });
    expect(value(await store.insert("orders", { ref: "new", cents: 2 }, { key: "run-1" }))).toMatchObject({
      id: 3,
      ref: "new",
    });
    expect(value(await store.insert("orders", { ref: "x", cents: 2 }, { key: "run-2" }))).toMatchObject({ id: 2 });
    expect(value(await store.count("orders"))).toBe(3);
  });

  it("refuses bad keys and options in plain words, writing nothing", async () => {
    const store = await storeWithTables();
    const row = { ref: "a", cents: 1 };
    const messageOf = async (options: unknown) => failure(await store.insert("orders", row, options)).message;
    expect(failure(await store.insert("orders", row, { key: "" }))).toEqual({
      code: "invalid",
      message:
        'An insert key can\'t be empty; use text that is the same on every retry, like run.idempotencyKey + ":invoice".',
    });
    expect(await messageOf({ key: "   " })).toContain("can't be empty");
    expect(await messageOf({ key: "k".repeat(MAX_INSERT_KEY_LENGTH + 1) })).toBe(
      `An insert key can be at most ${MAX_INSERT_KEY_LENGTH} characters; this one has ${MAX_INSERT_KEY_LENGTH + 1}.`,
    );
    expect(await messageOf({ key: 42 })).toBe(
      'An insert key must be text that is the same on every retry, like run.idempotencyKey + ":invoice"; got 42.',
    );
    expect(await messageOf({})).toContain("got nothing (undefined)");
    expect(await messageOf({ key: "a", once: true })).toBe("Unknown insert option 'once'; the only one is key.");
    expect(await messageOf("run-1")).toBe(`insert()'s options must be an object like { key: "..." }; got "run-1".`);
    expect(value(await store.count("orders"))).toBe(0);
    expect(value(await store.insert("orders", row, { key: "k".repeat(MAX_INSERT_KEY_LENGTH) }))).toMatchObject({
      id: 1,
    });
  });

  it("does not use up a key when the row is refused", async () => {
    const store = await storeWithTables();
    expect(failure(await store.insert("orders", { ref: "a" }, { key: "run-1" })).message).toBe(
      "Column 'cents' of 'orders' is required; give it a value.",
    );
    expect(value(await store.insert("orders", { ref: "a", cents: 1 }, { key: "run-1" }))).toMatchObject({ id: 1 });
    expect(value(await store.count("orders"))).toBe(1);
  });

  it("writes the row and its key together: when the key can't be written, the row isn't either", async () => {
    const store = await storeWithTables();
    value(await store.insert("orders", { ref: "a", cents: 1 }, { key: "run-1" }));
    // Stand-in for a failure between the two writes: a keys table that refuses one key.
    await runInDurableObject(store, (_instance: AppDataStore, state) => {
      state.storage.sql.exec(`DROP TABLE ${INSERT_KEYS_TABLE}`);
      state.storage.sql.exec(
        `CREATE TABLE ${INSERT_KEYS_TABLE} (table_name TEXT, key TEXT CHECK (key <> 'poison'), row_id INTEGER, row TEXT, created_at TEXT, PRIMARY KEY (table_name, key))`,
      );
    });
    expect(failure(await store.insert("orders", { ref: "b", cents: 2 }, { key: "poison" })).code).toBe("internal");
    expect(value(await store.list("orders")).map((row) => row.ref)).toEqual(["a"]);
  });

  it("forgets the keys of a dropped table and keeps a renamed table's", async () => {
    const store = freshStore("keys");
    value(await store.applySchema({ Orders: { ref: "text" }, notes: { text: "text" } }, { allowDestructive: false }));
    const order = value(await store.insert("Orders", { ref: "a" }, { key: "run-1" }));
    value(await store.insert("notes", { text: "a" }, { key: "run-1" }));
    // A case-only change renames 'Orders'; leaving 'notes' out drops it.
    value(await store.applySchema({ orders: { ref: "text" } }, { allowDestructive: true }));
    expect(value(await store.insert("orders", { ref: "b" }, { key: "run-1" }))).toEqual(order);
    value(await store.applySchema({ orders: { ref: "text" }, notes: { text: "text" } }, { allowDestructive: false }));
    expect(value(await store.insert("notes", { text: "b" }, { key: "run-1" }))).toMatchObject({ id: 1, text: "b" });
  });

  it("keeps the keys table out of the app's reach", async () => {
    const store = await storeWithTables();
    value(await store.insert("orders", { ref: "a", cents: 1 }, { key: "run-1" }));
    expect(failure(await store.query(`select * from ${INSERT_KEYS_TABLE}`, [])).code).toBe("query_refused");
    expect(value(await store.describe()).tables.map((table) => table.name)).toEqual(["orders", "notes"]);
  });

  it("passes the key through the app's env.DB gateway", async () => {
    const appId = `app_${crypto.randomUUID()}`;
    value(await appDataStore(env, { id: appId, slug: appId }, "live").applySchema(TABLES, { allowDestructive: false }));
    const db = exports.AppDatabaseGateway({ props: { appId, environment: "live" } }) as unknown as AppDatabase;
    const first = await db.insert("orders", { ref: "a", cents: 1 }, { key: "run-1:a" });
    expect(await db.insert("orders", { ref: "b", cents: 2 }, { key: "run-1:a" })).toEqual(first);
    expect(await db.count("orders")).toBe(1);
    let refusal: unknown;
    try {
      await db.insert("orders", { ref: "c", cents: 3 }, { key: "" });
    } catch (caught) {
      refusal = caught;
    }
    expect(refusal).toMatchObject({ message: expect.stringContaining("An insert key can't be empty") });
  });
});
