// Publishing says what it changes before it changes it, and the first publish can take the preview's rows along
// into the empty live database (once: a live database with rows is never written over). Real builds in workerd.
import { describe, expect, it } from "vitest";
import { newUser, type TestUser } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";

const shop = (columns: string, extra = "") => ({
  "src/index.ts": `import { defineTables } from "kiln";
${extra}
export const tables = defineTables({ products: { ${columns} }, orders: { productId: "integer", quantity: "integer" } });
export default { fetch: () => new Response("shop") };
`,
});
const V1 = shop(`name: "text", priceCents: "integer", tags: "json?"`);
const V2 = shop(
  `name: "text", priceCents: "integer", tags: "json?", onSale: "boolean?"`,
  `import "kiln/stripe";
export const automations = { nightly: { cron: "0 3 * * *", run: async () => {} } };`,
);
const V3 = shop(`name: "text", tags: "json?", onSale: "boolean?"`);

async function upload(user: TestUser, appId: string, files: Record<string, string>): Promise<string> {
  const answer = await user.call("PUT", `/api/apps/${appId}/source`, { files, confirmDestructive: true });
  expect(answer.status, answer.text).toBe(200);
  return answer.body.version as string;
}

async function insert(user: TestUser, appId: string, table: string, row: Record<string, unknown>, env = "preview") {
  const answer = await user.call("POST", `/api/apps/${appId}/data/${table}?env=${env}`, row);
  expect(answer.status, answer.text).toBe(201);
  return answer.body as { id: number };
}

describe("the publish plan", () => {
  it("names the schema change, hosts, automations and rows before the first and later publishes", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "Plan", V1);
    await insert(user, app.id, "products", { name: "Mug", priceCents: 1200, tags: ["kitchen"] });

    const first = await user.call("GET", `/api/apps/${app.id}/publish-plan?version=${app.version}`);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({
      version: app.version,
      number: 1,
      live: null,
      firstPublish: true,
      rows: { preview: 1, live: 0 },
      canCopyPreviewData: true,
      hosts: { added: [], removed: [] },
      setupMissing: [],
    });
    expect(first.body.schema.additive.join(" ")).toContain("products");
    expect(first.body.schema.destructive).toEqual([]);

    expect((await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version })).status).toBe(200);
    const v2 = await upload(user, app.id, V2);
    const second = await user.call("GET", `/api/apps/${app.id}/publish-plan?version=${v2}`);
    expect(second.body).toMatchObject({
      number: 2,
      live: { version: app.version, number: 1 },
      firstPublish: false,
      // Published empty: nothing was copied, and the preview's row stays in the preview.
      rows: { preview: 1, live: 0 },
      hosts: { added: ["api.stripe.com"], removed: [] },
      automations: { added: ["nightly"], removed: [] },
    });
    expect(second.body.schema.additive.join(" ")).toContain("onSale");

    expect((await user.call("POST", `/api/apps/${app.id}/publish`, { version: v2 })).status).toBe(200);
    await insert(user, app.id, "products", { name: "Live mug", priceCents: 900 }, "live");
    const v3 = await upload(user, app.id, V3);
    const third = await user.call("GET", `/api/apps/${app.id}/publish-plan?version=${v3}`);
    expect(third.body.hosts).toEqual({ added: [], removed: ["api.stripe.com"] });
    expect(third.body.automations).toEqual({ added: [], removed: ["nightly"] });
    expect(third.body.schema.destructive.join(" ")).toContain("priceCents");
  });

  it("answers only the app's owner, and only for a version id", async () => {
    const owner = await newUser();
    const app = await appWithSource(owner, "Mine", V1);
    const stranger = await newUser();
    expect((await stranger.call("GET", `/api/apps/${app.id}/publish-plan?version=${app.version}`)).status).toBe(404);
    expect((await owner.call("GET", `/api/apps/${app.id}/publish-plan?version=nope`)).status).toBe(400);
    expect((await owner.call("GET", `/api/apps/${app.id}/publish-plan?version=0123456789abcdef`)).status).toBe(404);
  });
});

describe("copying the preview's data at the first publish", () => {
  it("copies every row with its id, once; a live database with rows is never written over", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "Copy", V1);
    const mug = await insert(user, app.id, "products", { name: "Mug", priceCents: 1200, tags: ["kitchen"] });
    await insert(user, app.id, "products", { name: "Pot", priceCents: 3000 });
    await user.call("DELETE", `/api/apps/${app.id}/data/products/${mug.id}?env=preview`);
    const lamp = await insert(user, app.id, "products", { name: "Lamp", priceCents: 4500, tags: { room: "hall" } });
    await insert(user, app.id, "orders", { productId: lamp.id, quantity: 2 });

    const published = await user.call("POST", `/api/apps/${app.id}/publish`, {
      version: app.version,
      liveData: "copy",
    });
    expect(published.status, published.text).toBe(200);
    expect(published.body.copied).toEqual([
      { table: "products", rows: 2 },
      { table: "orders", rows: 1 },
    ]);
    const preview = await user.call("GET", `/api/apps/${app.id}/data/products?env=preview`);
    const live = await user.call("GET", `/api/apps/${app.id}/data/products?env=live`);
    expect(live.body.rows).toEqual(preview.body.rows);
    // Ids survive the copy, so the order still points at the lamp; the next live row continues after them.
    const order = (await user.call("GET", `/api/apps/${app.id}/data/orders?env=live`)).body.rows[0];
    expect(order.productId).toBe(lamp.id);
    const next = await user.call("POST", `/api/apps/${app.id}/data/products?env=live`, { name: "New", priceCents: 1 });
    expect(next.body.id).toBeGreaterThan(lamp.id);

    const v2 = await upload(user, app.id, V2);
    const again = await user.call("POST", `/api/apps/${app.id}/publish`, { version: v2, liveData: "copy" });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain("already has");
    expect((await user.call("GET", `/api/apps/${app.id}`)).body.liveVersion).toBe(app.version);
    const liveAfter = (await user.call("GET", `/api/apps/${app.id}/data/products?env=live`)).body;
    expect(liveAfter.total).toBe(3);
    // Refused before the live tables changed: v2's new column is not there.
    expect(liveAfter.rows[0]).not.toHaveProperty("onSale");
  });
});
