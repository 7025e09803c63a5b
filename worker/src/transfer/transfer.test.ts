// An app leaves Kiln as a zip (source, tables, config, every row) and comes back as a new app with the same data;
// a duplicate takes its preview rows along. The zip is hostile input: anything else is refused in words, and a
// credential in its config makes nothing. Real builds and app databases in workerd.
import { SELF } from "cloudflare:test";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { PLATFORM, newUser, type TestUser } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";

const SHOP = {
  "src/index.ts": `import { defineTables } from "kiln";
export const tables = defineTables({ products: { name: "text", priceCents: "integer", tags: "json?" }, orders: { productId: "integer" } });
export default { fetch: () => new Response("shop") };
`,
};

async function shopWithRows(user: TestUser) {
  const app = await appWithSource(user, "Corner shop", SHOP);
  const add = (table: string, row: Record<string, unknown>) =>
    user.call("POST", `/api/apps/${app.id}/data/${table}?env=preview`, row);
  const mug = (await add("products", { name: "Mug", priceCents: 1200, tags: ["kitchen"] })).body;
  await add("products", { name: "Lamp", priceCents: 4500 });
  await add("orders", { productId: mug.id });
  await user.call("PUT", `/api/apps/${app.id}/config`, { values: { SHOP_TITLE: "Corner shop" } });
  return app;
}

async function exportZip(user: TestUser, appId: string, environment = "preview") {
  const response = await SELF.fetch(`${PLATFORM}/api/apps/${appId}/export?environment=${environment}`, {
    headers: { authorization: `Bearer ${user.token}` },
  });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function importZip(user: TestUser, bytes: Uint8Array, query = "") {
  const response = await SELF.fetch(`${PLATFORM}/api/apps/import${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${user.token}`, "content-type": "application/zip" },
    body: bytes,
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}

const rowsOf = async (user: TestUser, appId: string, table: string) =>
  (await user.call("GET", `/api/apps/${appId}/data/${table}?env=preview`)).body.rows as Record<string, unknown>[];

describe("exporting and importing an app", () => {
  it("round-trips source, tables, config and every row into a new app", async () => {
    const user = await newUser();
    const app = await shopWithRows(user);
    const { response, bytes } = await exportZip(user, app.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename=".+-preview-v1\.zip"/);
    const entries = unzipSync(bytes);
    expect(Object.keys(entries).sort()).toEqual(["data.json", "kiln-app.json", "schema.json", "source/src/index.ts"]);
    expect(JSON.parse(strFromU8(entries["kiln-app.json"]!))).toMatchObject({
      format: "kiln-app/1",
      name: "Corner shop",
      environment: "preview",
      config: { SHOP_TITLE: "Corner shop" },
    });
    expect(JSON.parse(strFromU8(entries["schema.json"]!))).toHaveProperty("products");

    const other = await newUser();
    const imported = await importZip(other, bytes);
    expect(imported.status, imported.text).toBe(201);
    expect(imported.body).toMatchObject({
      name: "Corner shop",
      rows: [
        { name: "products", rows: 2 },
        { name: "orders", rows: 1 },
      ],
      skipped: [],
    });
    expect(imported.body.id).not.toBe(app.id);
    expect(await rowsOf(other, imported.body.id, "products")).toEqual(await rowsOf(user, app.id, "products"));
    expect(await rowsOf(other, imported.body.id, "orders")).toEqual(await rowsOf(user, app.id, "orders"));
    expect((await other.call("GET", `/api/apps/${imported.body.id}/config`)).body.values).toEqual({
      SHOP_TITLE: "Corner shop",
    });
    const source = await other.call("GET", `/api/apps/${imported.body.id}/source`);
    expect(source.body.files).toEqual(SHOP);

    const renamed = await importZip(other, bytes, "?name=Second%20shop");
    expect(renamed.body.name).toBe("Second shop");
  });

  it("exports only what exists, and only to the app's owner", async () => {
    const user = await newUser();
    const app = await shopWithRows(user);
    const live = await exportZip(user, app.id, "live");
    expect(live.response.status).toBe(409);
    expect(strFromU8(live.bytes)).toContain("not been published");
    expect((await exportZip(await newUser(), app.id)).response.status).toBe(404);
  });

  it("refuses what is not a Kiln export, in words, and makes nothing", async () => {
    const user = await newUser();
    const count = async () => ((await user.call("GET", "/api/apps")).body.apps as unknown[]).length;
    const before = await count();

    const notZip = await importZip(user, strToU8("just some text"));
    expect(notZip.status).toBe(400);
    expect(notZip.body.error.message).toContain("not a zip");

    const noManifest = await importZip(user, zipSync({ "source/src/index.ts": strToU8(SHOP["src/index.ts"]) }));
    expect(noManifest.status).toBe(400);
    expect(noManifest.body.error.message).toContain("not an app exported from Kiln");

    const manifest = (config: Record<string, string>) =>
      strToU8(JSON.stringify({ format: "kiln-app/1", name: "Sneaky", environment: "preview", version: {}, config }));
    const withKey = await importZip(
      user,
      zipSync({
        "kiln-app.json": manifest({ STRIPE_KEY: "sk_live_51abcdefghijklmnopqrstuvwx" }),
        "source/src/index.ts": strToU8(SHOP["src/index.ts"]),
      }),
    );
    expect(withKey.status).toBe(400);
    expect(withKey.body.error.message).toContain("looks like a secret key");
    expect(withKey.text).not.toContain("sk_live_51abcdefghijklmnopqrstuvwx");
    expect(await count()).toBe(before);

    // A few kilobytes that would unpack to more than a source file may hold: refused before it is unpacked.
    const bomb = await importZip(
      user,
      zipSync({ "kiln-app.json": manifest({}), "source/src/index.ts": new Uint8Array(2 * 1024 * 1024) }),
    );
    expect(bomb.status).toBe(400);
    expect(bomb.body.error.message).toContain("unpacks to more than Kiln imports");
    expect(await count()).toBe(before);

    // Rows that break the tables' rules: the app is made with its code, the data is refused whole, and it says why.
    const badRows = await importZip(
      user,
      zipSync({
        "kiln-app.json": manifest({}),
        "source/src/index.ts": strToU8(SHOP["src/index.ts"]),
        "data.json": strToU8(
          JSON.stringify({
            format: "kiln-data/1",
            tables: {
              products: [
                { id: 1, name: "Fine", priceCents: 1 },
                { id: 2, priceCents: 2 },
              ],
            },
          }),
        ),
      }),
    );
    expect(badRows.status).toBe(409);
    expect(badRows.body.error.message).toContain("its data was not loaded");
    expect(badRows.body.error.message).toContain("requires");
    expect(await rowsOf(user, badRows.body.app.id, "products")).toEqual([]);
  });
});

describe("importing data that does not fit exactly", () => {
  it("leaves out tables and columns the app does not declare, and says which", async () => {
    const user = await newUser();
    const archive = zipSync({
      "kiln-app.json": strToU8(JSON.stringify({ format: "kiln-app/1", name: "Older shop", config: {} })),
      "source/src/index.ts": strToU8(SHOP["src/index.ts"]),
      "data.json": strToU8(
        JSON.stringify({
          format: "kiln-data/1",
          tables: {
            products: [
              { id: 7, name: "Vase", priceCents: 900, colour: "blue", created_at: "2026-01-02T03:04:05.000Z" },
            ],
            ghosts: [{ id: 1 }],
          },
        }),
      ),
    });
    const imported = await importZip(user, archive);
    expect(imported.status, imported.text).toBe(201);
    expect(imported.body.skipped).toEqual(["ghosts", "products.colour"]);
    const [vase] = await rowsOf(user, imported.body.id, "products");
    expect(vase).toMatchObject({ id: 7, name: "Vase", priceCents: 900, created_at: "2026-01-02T03:04:05.000Z" });
    expect(vase).not.toHaveProperty("colour");

    const wrongType = zipSync({
      "kiln-app.json": strToU8(JSON.stringify({ format: "kiln-app/1", name: "Typo shop", config: {} })),
      "source/src/index.ts": strToU8(SHOP["src/index.ts"]),
      "data.json": strToU8(
        JSON.stringify({ format: "kiln-data/1", tables: { products: [{ id: 1, name: "Cup", priceCents: "cheap" }] } }),
      ),
    });
    const refused = await importZip(user, wrongType);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain("priceCents");

    const twice = zipSync({
      "kiln-app.json": strToU8(JSON.stringify({ format: "kiln-app/1", name: "Echo shop", config: {} })),
      "source/src/index.ts": strToU8(SHOP["src/index.ts"]),
      "data.json": strToU8(
        JSON.stringify({
          format: "kiln-data/1",
          tables: {
            products: [
              { id: 3, name: "Cup", priceCents: 1 },
              { id: 3, name: "Mug", priceCents: 2 },
            ],
          },
        }),
      ),
    });
    const repeated = await importZip(user, twice);
    expect(repeated.status).toBe(409);
    expect(repeated.body.error.message).toContain("Row 2 of 'products' repeats id 3");
  });
});

describe("duplicating an app", () => {
  it("copies the preview's rows along with the code and config", async () => {
    const user = await newUser();
    const app = await shopWithRows(user);
    const copy = await user.call("POST", `/api/apps/${app.id}/duplicate`, {});
    expect(copy.status, copy.text).toBe(201);
    expect(copy.body.name).toBe("Corner shop (copy)");
    expect(copy.body.rows).toEqual([
      { name: "products", rows: 2 },
      { name: "orders", rows: 1 },
    ]);
    expect(await rowsOf(user, copy.body.id, "products")).toEqual(await rowsOf(user, app.id, "products"));
    // The copy's rows are its own from then on.
    await user.call("POST", `/api/apps/${copy.body.id}/data/products?env=preview`, {
      name: "Only in the copy",
      priceCents: 1,
    });
    expect(await rowsOf(user, app.id, "products")).toHaveLength(2);
  });
});
