import { describe, expect, it } from "vitest";
import { newUser } from "../../../test/api-client";
import { appWithSource } from "../../../test/fixtures";

const SHOP = {
  "src/index.ts": `import { Hono } from "hono";
import { defineTables, type AppEnv } from "kiln";

export const tables = defineTables({
  products: { name: "text", unitPriceCents: "integer", inStock: { type: "boolean", default: true }, note: "text?" },
});

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", (c) => c.text("shop"));
export default app;
`,
};

async function shopWithRows() {
  const user = await newUser();
  const app = await appWithSource(user, "grid shop", SHOP);
  const base = `/api/apps/${app.id}/data/products`;
  for (const row of [
    { name: "Blue mug", unitPriceCents: 1200 },
    { name: "Red mug", unitPriceCents: 1300, inStock: false },
    { name: "Teapot", unitPriceCents: 4000, note: "fragile" },
  ])
    expect((await user.call("POST", `${base}?env=preview`, row)).status).toBe(201);
  return { user, app, base };
}

describe("the Data tab's API: owner's writes, search, filters and CSV import", () => {
  it("refuses an empty required value in words, and a wrongly typed one, changing nothing", async () => {
    const { user, base } = await shopWithRows();
    const empty = await user.call("PATCH", `${base}/1?env=preview&format=text`, { name: "  " });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe("Name is required: it can't be empty.");
    const emptyJson = await user.call("POST", `${base}?env=preview`, { name: "", unitPriceCents: 5 });
    expect(emptyJson.body.error.message).toBe("Name is required: it can't be empty.");
    const wrong = await user.call("PATCH", `${base}/1?env=preview&format=text`, { unitPriceCents: "twelve" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe('Unit price cents needs a whole number, like 42; "twelve" isn\'t one.');
    expect((await user.call("GET", `${base}/1?env=preview`)).body).toMatchObject({
      name: "Blue mug",
      unitPriceCents: 1200,
    });
    const saved = await user.call("PATCH", `${base}/1?env=preview&format=text`, { unitPriceCents: "1250", note: "" });
    expect(saved.body).toMatchObject({ unitPriceCents: 1250, note: null });
    expect((await user.call("PATCH", `${base}/1?env=preview&format=xml`, { note: "a" })).status).toBe(400);
  });

  it("searches and filters server-side, refusing a column that is not in the schema", async () => {
    const { user, base } = await shopWithRows();
    const searched = await user.call("GET", `${base}?env=preview&q=MUG`);
    expect(searched.body).toMatchObject({ total: 2, tableTotal: 3 });
    expect(searched.body.rows.map((r: { name: string }) => r.name)).toEqual(["Blue mug", "Red mug"]);
    const filtered = await user.call(
      "GET",
      `${base}?env=preview&q=mug&filter=${encodeURIComponent("inStock:equals:no")}`,
    );
    expect(filtered.body.rows.map((r: { name: string }) => r.name)).toEqual(["Red mug"]);
    const contains = await user.call("GET", `${base}?env=preview&filter=note:contains:frag&filter=name:contains:pot`);
    expect(contains.body.rows.map((r: { name: string }) => r.name)).toEqual(["Teapot"]);
    const injected = await user.call("GET", `${base}?env=preview&filter=${encodeURIComponent("secret:equals:x")}`);
    expect(injected.status).toBe(400);
    expect(injected.body.error.message).toMatch(/has no column 'secret'/);
    const quoted = await user.call(
      "GET",
      `${base}?env=preview&filter=${encodeURIComponent('name" OR 1=1--:equals:x')}`,
    );
    expect(quoted.status).toBe(400);
    expect((await user.call("GET", `${base}?env=preview&filter=name:like:x`)).status).toBe(400);
    expect((await user.call("GET", `${base}?env=preview&q=${encodeURIComponent("' OR '1'='1")}`)).body.total).toBe(0);
  });

  it("previews a CSV import, applies it once, and another owner can't reach it", async () => {
    const { user, app, base } = await shopWithRows();
    const csv = "id,Name,Unit price cents\r\n1,Blue mug,1500\r\n,Plate,900\r\n,,5\r\n";
    const preview = await user.call("POST", `${base}/import?env=preview`, { csv });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      environment: "preview",
      applied: false,
      add: 1,
      update: 1,
      refused: [{ line: 4 }],
    });
    expect(preview.body.refused[0].reason).toBe("Name is required: it can't be empty.");
    const refused = await user.call("POST", `${base}/import?env=preview`, { csv, apply: true });
    expect(refused.status).toBe(400);
    expect((await user.call("GET", `${base}?env=preview`)).body.total).toBe(3);

    const good = "id,Name,Unit price cents\r\n1,Blue mug,1500\r\n,Plate,900\r\n";
    const applied = await user.call("POST", `${base}/import?env=preview`, { csv: good, apply: true });
    expect(applied.body).toMatchObject({ applied: true, add: 1, update: 1 });
    const twice = await user.call("POST", `${base}/import?env=preview`, { csv: good, apply: true });
    expect(twice.body).toMatchObject({ applied: true, add: 0, update: 0, alreadyImported: 1 });
    expect((await user.call("GET", `${base}?env=preview`)).body.total).toBe(4);
    expect((await user.call("GET", `${base}?env=live`)).status).toBe(404);

    const stranger = await newUser();
    expect((await stranger.call("POST", `${base}/import?env=preview`, { csv: good, apply: true })).status).toBe(404);
    expect((await stranger.call("GET", `${base}?env=preview&q=mug`)).status).toBe(404);
    expect(
      (await stranger.call("PATCH", `/api/apps/${app.id}/data/products/1?env=preview`, { name: "x" })).status,
    ).toBe(404);
    expect((await user.call("GET", `${base}?env=preview`)).body.total).toBe(4);
  });
});
