import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { value } from "../../test/data-stores";
import type { AppDatabase } from "../../sdk/kiln/index";
import { appDataStore, checkScratchName } from "./app-data-store-stub";
import { createAppDatabase } from "./app-database-client";
import { gatewayDatabaseName } from "./app-database-gateway";

const TABLES = { notes: { text: "text", pinned: { type: "boolean", default: false } } };

/** An app's code sees its `env.DB` gateway stub through the SDK's `AppDatabase` type. */
function appView(gateway: unknown): AppDatabase {
  return gateway as AppDatabase;
}

async function newApp(): Promise<string> {
  const appId = `app_${crypto.randomUUID()}`;
  for (const environment of ["preview", "live"] as const) {
    value(
      await appDataStore(env, { id: appId, slug: appId }, environment).applySchema(TABLES, { allowDestructive: false }),
    );
  }
  return appId;
}

describe("the app-facing database", () => {
  it("implements AppDatabase over the store and throws plain Errors with the store's message", async () => {
    const db = createAppDatabase(appDataStore(env, await newApp().then((id) => ({ id, slug: id })), "preview"));
    const note = await db.insert("notes", { text: "hello" });
    expect(note).toMatchObject({ id: 1, text: "hello", pinned: false });
    expect(await db.get("notes", 1)).toEqual(note);
    expect(await db.update("notes", 1, { pinned: true })).toMatchObject({ pinned: true });
    expect(await db.list("notes", { where: { pinned: true } })).toHaveLength(1);
    expect(await db.count("notes")).toBe(1);
    expect(await db.query("select text from notes where pinned = ?", [true])).toEqual([{ text: "hello" }]);
    expect(await db.delete("notes", 1)).toBe(true);
    expect(await db.get("notes", 1)).toBeNull();

    const error = await db
      .insert("notes", { text: 5 } as unknown as { text: string })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ message: "Column 'text' of 'notes' expects text, got 5." });
    expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
  });

  it("keeps preview and live apart", async () => {
    const appId = await newApp();
    const preview = createAppDatabase(appDataStore(env, { id: appId, slug: appId }, "preview"));
    const live = createAppDatabase(appDataStore(env, { id: appId, slug: appId }, "live"));
    await preview.insert("notes", { text: "draft only" });
    expect(await preview.count("notes")).toBe(1);
    expect(await live.count("notes")).toBe(0);
    expect(await live.get("notes", 1)).toBeNull();
  });

  it("binds the gateway to its props, so app A cannot reach app B's rows", async () => {
    const [appA, appB] = [await newApp(), await newApp()];
    const secret = await createAppDatabase(appDataStore(env, { id: appB, slug: appB }, "preview")).insert("notes", {
      text: "B's secret",
    });

    const gatewayA = appView(exports.AppDatabaseGateway({ props: { appId: appA, environment: "preview" } }));
    expect(await gatewayA.get("notes", secret.id)).toBeNull();
    expect(await gatewayA.list("notes")).toEqual([]);
    expect(await gatewayA.query("select * from notes", [])).toEqual([]);

    const gatewayB = appView(exports.AppDatabaseGateway({ props: { appId: appB, environment: "preview" } }));
    expect(await gatewayB.get("notes", secret.id)).toMatchObject({ text: "B's secret" });
    let refusal: unknown;
    try {
      await gatewayA.list("todos");
    } catch (caught) {
      refusal = caught;
    }
    expect(refusal).toMatchObject({ message: "This app has no table 'todos'; its tables are notes." });
  });

  it("only lets a scratch database belong to the gateway's own app", () => {
    expect(gatewayDatabaseName({ appId: "a1", environment: "live" })).toBe("a1:live");
    expect(gatewayDatabaseName({ appId: "a1", environment: "preview", databaseName: "a1:trial:v1:x" })).toBe(
      "a1:trial:v1:x",
    );
    expect(() => gatewayDatabaseName({ appId: "a1", environment: "preview", databaseName: "b2:trial:v1:x" })).toThrow(
      "belongs to another app",
    );
    expect(() => gatewayDatabaseName({ appId: "a1", environment: "staging" as "live" })).toThrow("Unknown environment");
    expect(() => checkScratchName("a1:live")).toThrow("real app database");
    expect(checkScratchName("a1:trial:v1:x")).toBe("a1:trial:v1:x");
  });
});
