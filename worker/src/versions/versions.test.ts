import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource, notesApp } from "../../test/fixtures";

describe("source, versions, publish and rollback", () => {
  it("uploads source, serves it at the preview URL and returns it back", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "notes", notesApp());
    expect(app.version).toMatch(/^[0-9a-f]{16}$/);
    const page = await visit(app.previewUrl);
    expect(page.status).toBe(200);
    expect(page.text).toBe("hello from notes");
    expect(page.headers.get("x-kiln-request-id")).toMatch(/^req_/);
    const source = await user.call("GET", `/api/apps/${app.id}/source`);
    expect(source.body).toEqual({ version: app.version, files: notesApp() });
    const byVersion = await user.call("GET", `/api/apps/${app.id}/source?version=${app.version}`);
    expect(byVersion.body.files).toEqual(notesApp());
    expect((await user.call("GET", `/api/apps/${app.id}/source?version=0000000000000000`)).status).toBe(404);
    expect((await visit(app.liveUrl)).status).toBe(404);
  });

  it("names versions by content: the same source is the same version", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "same", notesApp());
    const again = await user.call("PUT", `/api/apps/${app.id}/source`, { files: notesApp() });
    expect(again.body.version).toBe(app.version);
    expect((await user.call("GET", `/api/apps/${app.id}/versions`)).body.versions).toHaveLength(1);
  });

  it("a type error answers 422 at the right line, and the previous version keeps serving", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "typed", notesApp());
    const broken = { "src/index.ts": notesApp()["src/index.ts"]!.replace('c.text("hello from notes")', "c.text(42)") };
    const res = await user.call("PUT", `/api/apps/${app.id}/source`, { files: broken });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("build_failed");
    const diagnostic = res.body.diagnostics[0];
    expect(diagnostic.file).toBe("src/index.ts");
    expect(diagnostic.line).toBe(10);
    expect(diagnostic.column).toBeGreaterThan(1);
    expect(diagnostic.message).toMatch(/number/);
    expect((await visit(app.previewUrl)).text).toBe("hello from notes");
    expect((await user.call("GET", `/api/apps/${app.id}/versions`)).body.versions).toHaveLength(1);
  });

  it("refuses an app whose home page throws, with a diagnostic, keeping the old version", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "smoke", notesApp());
    const res = await user.call("PUT", `/api/apps/${app.id}/source`, {
      files: { "src/index.ts": `export default { fetch(): Response { throw new Error("broken home"); } };` },
    });
    expect(res.status).toBe(422);
    expect(res.body.diagnostics[0].message).toMatch(/broken home/);
    expect((await visit(app.previewUrl)).text).toBe("hello from notes");
  });

  it("refuses invalid tables with a message naming the column", async () => {
    const user = await newUser();
    const app = await user.call("POST", "/api/apps", { name: "bad tables" });
    const res = await user.call("PUT", `/api/apps/${app.body.id}/source`, {
      files: {
        "src/index.ts": `export const tables = { todos: { done: "bool" } };\nexport default { fetch: () => new Response("x") };`,
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.diagnostics[0]).toMatchObject({ file: "src/index.ts", line: 1 });
    expect(res.body.diagnostics[0].message).toMatch(/done/);
  });

  it("validates the upload body", async () => {
    const user = await newUser();
    const app = await user.call("POST", "/api/apps", { name: "validate" });
    expect((await user.call("PUT", `/api/apps/${app.body.id}/source`, { files: "nope" })).status).toBe(400);
    const empty = await user.call("PUT", `/api/apps/${app.body.id}/source`, { files: {} });
    expect(empty.status).toBe(422);
    expect(empty.body.diagnostics.length).toBeGreaterThan(0);
    expect((await user.call("GET", `/api/apps/${app.body.id}/source`)).status).toBe(404);
  });

  it("publishes to the live URL, uploads a new version, and rolls back", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "lifecycle", notesApp("v1"));
    const published = await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version });
    expect(published.status).toBe(200);
    expect(published.body.liveUrl).toBe(app.liveUrl);
    expect((await visit(app.liveUrl)).text).toBe("v1 from notes");

    const v2 = await user.call("PUT", `/api/apps/${app.id}/source`, { files: notesApp("v2") });
    expect((await visit(app.previewUrl)).text).toBe("v2 from notes");
    expect((await visit(app.liveUrl)).text).toBe("v1 from notes");
    await user.call("POST", `/api/apps/${app.id}/publish`, { version: v2.body.version });
    expect((await visit(app.liveUrl)).text).toBe("v2 from notes");

    const versions = (await user.call("GET", `/api/apps/${app.id}/versions`)).body.versions;
    expect(versions.map((v: { number: number }) => v.number)).toEqual([2, 1]);
    expect(versions[0]).toMatchObject({ live: true, preview: true });

    const rolledBack = await user.call("POST", `/api/apps/${app.id}/rollback`, { version: app.version });
    expect(rolledBack.status).toBe(200);
    expect((await visit(app.liveUrl)).text).toBe("v1 from notes");
    expect((await user.call("GET", `/api/apps/${app.id}`)).body.liveVersion).toBe(app.version);
  });

  it("refuses rollback to a version that was never live, and unknown versions", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "never live", notesApp());
    const res = await user.call("POST", `/api/apps/${app.id}/rollback`, { version: app.version });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/never been live/);
    expect((await user.call("POST", `/api/apps/${app.id}/publish`, { version: "0123456789abcdef" })).status).toBe(404);
    expect((await user.call("POST", `/api/apps/${app.id}/publish`, { version: "latest" })).status).toBe(400);
  });

  it("one isolate per version across requests; a new version brings new code on the next request", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "isolate", notesApp("first"));
    const countUrl = `${app.previewUrl}count`;
    expect(JSON.parse((await visit(countUrl)).text)).toEqual({ served: 1 });
    expect(JSON.parse((await visit(countUrl)).text)).toEqual({ served: 2 });
    expect(JSON.parse((await visit(countUrl)).text)).toEqual({ served: 3 });
    await user.call("PUT", `/api/apps/${app.id}/source`, { files: notesApp("second") });
    expect((await visit(app.previewUrl)).text).toBe("second from notes");
    expect(JSON.parse((await visit(countUrl)).text)).toEqual({ served: 1 });
    expect(JSON.parse((await visit(countUrl)).text)).toEqual({ served: 2 });
  });

  it("a destructive schema change is refused unless confirmed, and rows are kept", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "schema", notesApp());
    await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version });
    await visit(`${app.liveUrl}notes`, { method: "POST", body: JSON.stringify({ text: "keep me" }) });
    const withoutNotes = {
      "src/index.ts": `import { defineTables } from "kiln";\nexport const tables = defineTables({ items: { name: "text" } });\nexport default { fetch: () => new Response("items") };`,
    };
    const upload = await user.call("PUT", `/api/apps/${app.id}/source`, {
      files: withoutNotes,
      confirmDestructive: true,
    });
    expect(upload.status).toBe(200);
    const publish = await user.call("POST", `/api/apps/${app.id}/publish`, { version: upload.body.version });
    expect(publish.status).toBe(409);
    expect(publish.body.error.code).toBe("destructive_change");
    expect(publish.body.changes[0].description).toMatch(/notes/);
    expect((await visit(`${app.liveUrl}notes`)).text).toContain("keep me");
    const confirmed = await user.call("POST", `/api/apps/${app.id}/publish`, {
      version: upload.body.version,
      confirmDestructive: true,
    });
    expect(confirmed.status).toBe(200);
    expect((await visit(app.liveUrl)).text).toBe("items");
  });
});
