// Managing an app: a new name (addresses unchanged), config values that are never credentials, and a copy that
// builds the same code again. Real Worker, real D1, real Dynamic Workers.
import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";

const HELLO = {
  "src/index.ts": `export default { fetch: (_request: Request, env: { CONFIG: Record<string, string> }) =>
  new Response("Hello from " + (env.CONFIG.SHOP ?? "nowhere")) };
`,
};

describe("managing an app", () => {
  it("renames it: the name changes, its addresses do not; an empty name is refused in words", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "Orders v1 final", HELLO);
    const renamed = await user.call("PATCH", `/api/apps/${app.id}`, { name: "  Bakery orders " });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Bakery orders", slug: app.slug, previewUrl: app.previewUrl });
    expect((await user.call("GET", `/api/apps/${app.id}`)).body.name).toBe("Bakery orders");
    expect((await visit(app.previewUrl)).text).toBe("Hello from nowhere");

    const empty = await user.call("PATCH", `/api/apps/${app.id}`, { name: "   " });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain("give the app a name");
    const stranger = await newUser();
    expect((await stranger.call("PATCH", `/api/apps/${app.id}`, { name: "Mine now" })).status).toBe(404);
    expect((await user.call("GET", `/api/apps/${app.id}`)).body.name).toBe("Bakery orders");
  });

  it("refuses config values that are credentials, by their look or their name, and keeps the ones it had", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "Config", HELLO);
    expect((await user.call("PUT", `/api/apps/${app.id}/config`, { values: { SHOP: "Rosa's" } })).status).toBe(200);
    for (const values of [
      { SHOP: "Rosa's", STRIPE: "sk_live_51Habcdefghijklmnop" },
      { SHOP: "Rosa's", ADMIN_PASSWORD: "hunter2" },
      { SHOP: "Rosa's", github_token: "abc" },
    ]) {
      const refused = await user.call("PUT", `/api/apps/${app.id}/config`, { values });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(/secret|Connections/);
    }
    expect((await user.call("GET", `/api/apps/${app.id}/config`)).body.values).toEqual({ SHOP: "Rosa's" });
  });

  it("duplicates it: a new app with the same code built again and the same config; the original is untouched", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "Rosa's shop", HELLO);
    await user.call("PUT", `/api/apps/${app.id}/config`, { values: { SHOP: "Rosa's" } });
    const copy = await user.call("POST", `/api/apps/${app.id}/duplicate`, {});
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ name: "Rosa's shop (copy)", previewVersion: app.version, liveVersion: null });
    expect(copy.body.id).not.toBe(app.id);
    expect(copy.body.slug).not.toBe(app.slug);
    // A copy's preview is its owner's alone, as any new app's, until they open it.
    expect((await visit(copy.body.previewUrl)).status).toBe(401);
    await user.call("PUT", `/api/apps/${copy.body.id}/access/preview`, { rule: "public" });
    expect((await visit(copy.body.previewUrl)).text).toBe("Hello from Rosa's");
    expect((await user.call("GET", `/api/apps/${copy.body.id}/config`)).body.values).toEqual({ SHOP: "Rosa's" });

    const named = await user.call("POST", `/api/apps/${app.id}/duplicate`, { name: "Rosa's second shop" });
    expect(named.body.name).toBe("Rosa's second shop");
    const listed = (await user.call("GET", "/api/apps")).body.apps as { id: string }[];
    expect(listed.map((a) => a.id)).toEqual(expect.arrayContaining([app.id, copy.body.id, named.body.id]));
    expect((await user.call("GET", `/api/apps/${app.id}`)).body).toMatchObject({ name: "Rosa's shop" });
  });
});
