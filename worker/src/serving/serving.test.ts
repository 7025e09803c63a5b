import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource, eventually, notesApp, throwingApp } from "../../test/fixtures";

describe("serving app hosts", () => {
  it("answers an unknown app host with a 404 page", async () => {
    const page = await visit("http://no-such-app.localhost:8787/");
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.text).toContain("App not found");
  });

  it("an app that throws gives the visitor a 500 page with a request id; the stack goes to the logs only", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "crashy", throwingApp);
    const page = await visit(`${app.previewUrl}crash`);
    expect(page.status).toBe(500);
    const requestId = page.headers.get("x-kiln-request-id")!;
    expect(requestId).toMatch(/^req_/);
    expect(page.text).toContain(requestId);
    expect(page.text).not.toContain("uncaught crash for the logs");
    expect(page.text).not.toMatch(/at .*\.js:\d+/);
    const logs = await eventually(async () => {
      const res = await user.call("GET", `/api/apps/${app.id}/logs?requestId=${requestId}`);
      return res.body.logs.length > 0 ? res.body.logs : null;
    });
    expect(logs[0]).toMatchObject({ level: "error", requestId, environment: "preview", version: app.version });
    expect(logs[0].message).toContain("uncaught crash for the logs");
  });

  it("gives the app only the capabilities Kiln grants", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "caps", notesApp());
    expect(JSON.parse((await visit(`${app.previewUrl}env-keys`)).text).sort()).toEqual([
      "CONFIG",
      "DB",
      "FILES",
      "KILN",
    ]);
    await user.call("PUT", `/api/apps/${app.id}/config`, { values: { GREETING: "hi there" } });
    expect(JSON.parse((await visit(`${app.previewUrl}config`)).text)).toEqual({ GREETING: "hi there" });
  });

  it("strips Kiln's request id header before the app sees the request", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "headers", {
      "src/index.ts": `export default { fetch: (req: Request) => new Response(String(req.headers.get("x-kiln-request-id"))) };`,
    });
    expect((await visit(app.previewUrl, { headers: { "x-kiln-request-id": "req_forged" } })).text).toBe("null");
  });
});

describe("visitor credentials", () => {
  it("never forwards a Kiln session cookie to an app", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "cookies", {
      "src/index.ts": `export default { fetch: (req: Request) => new Response(String(req.headers.get("cookie"))) };`,
    });
    expect((await visit(app.previewUrl, { headers: { cookie: `${user.cookie}; theme=dark` } })).text).toBe(
      "theme=dark",
    );
    expect((await visit(app.previewUrl, { headers: { cookie: user.cookie } })).text).toBe("null");
    // The https name too.
    const secret = user.cookie.split("=")[1];
    expect((await visit(app.previewUrl, { headers: { cookie: `__Host-kiln_session=${secret}; a=1` } })).text).toBe(
      "a=1",
    );
  });
});
