import { describe, expect, it } from "vitest";
import { callApi, newUser } from "../../test/api-client";

describe("apps", () => {
  it("creates an app with a slug and its preview and live URLs", async () => {
    const user = await newUser();
    const created = await user.call("POST", "/api/apps", { name: "Café Orders!" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Café Orders!",
      slug: "cafe-orders",
      previewVersion: null,
      liveVersion: null,
    });
    expect(created.body.id).toMatch(/^app_/);
    expect(created.body.liveUrl).toBe("http://cafe-orders.localhost:8787/");
    expect(created.body.previewUrl).toBe("http://cafe-orders--preview.localhost:8787/");
    const again = await user.call("POST", "/api/apps", { name: "Café Orders" });
    expect(again.body.slug).toMatch(/^cafe-orders-[a-z0-9]{4}$/);
  });

  it("lists, gets and deletes the caller's apps", async () => {
    const user = await newUser();
    const a = await user.call("POST", "/api/apps", { name: "first" });
    await user.call("POST", "/api/apps", { name: "second" });
    const list = await user.call("GET", "/api/apps");
    expect(list.body.apps.map((app: { name: string }) => app.name)).toEqual(["second", "first"]);
    expect((await user.call("GET", `/api/apps/${a.body.id}`)).body.name).toBe("first");
    expect((await user.call("DELETE", `/api/apps/${a.body.id}`)).status).toBe(200);
    expect((await user.call("GET", `/api/apps/${a.body.id}`)).status).toBe(404);
    expect((await user.call("GET", "/api/apps")).body.apps).toHaveLength(1);
  });

  it("validates names and requires sign-in", async () => {
    const user = await newUser();
    const empty = await user.call("POST", "/api/apps", { name: "  " });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/name/);
    expect((await callApi("GET", "/api/apps")).status).toBe(401);
    expect((await callApi("POST", "/api/apps", { name: "x" })).status).toBe(401);
  });

  it("keeps config values per app", async () => {
    const user = await newUser();
    const app = await user.call("POST", "/api/apps", { name: "configured" });
    const put = await user.call("PUT", `/api/apps/${app.body.id}/config`, { values: { GREETING: "hello" } });
    expect(put.status).toBe(200);
    expect((await user.call("GET", `/api/apps/${app.body.id}/config`)).body.values).toEqual({ GREETING: "hello" });
    const bad = await user.call("PUT", `/api/apps/${app.body.id}/config`, { values: { "bad name": "x" } });
    expect(bad.status).toBe(400);
  });

  it("answers unknown API routes with a JSON 404", async () => {
    const res = await callApi("GET", "/api/nope");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });
});
