import { describe, expect, it } from "vitest";
import { newUser } from "../../test/api-client";
import { appWithSource, notesApp } from "../../test/fixtures";

describe("every app belongs to its owner", () => {
  it("answers 404 to another user on every app route, and changes nothing", async () => {
    const owner = await newUser();
    const app = await appWithSource(owner, "mine", notesApp());
    await owner.call("POST", `/api/apps/${app.id}/data/notes?env=preview`, { text: "private" });
    const other = await newUser();
    const routes: [string, string, unknown?][] = [
      ["GET", `/api/apps/${app.id}`],
      ["DELETE", `/api/apps/${app.id}`],
      ["GET", `/api/apps/${app.id}/config`],
      ["PUT", `/api/apps/${app.id}/config`, { values: { A: "b" } }],
      ["PUT", `/api/apps/${app.id}/source`, { files: notesApp("hijacked") }],
      ["GET", `/api/apps/${app.id}/source`],
      ["GET", `/api/apps/${app.id}/source?version=${app.version}`],
      ["GET", `/api/apps/${app.id}/versions`],
      ["POST", `/api/apps/${app.id}/publish`, { version: app.version }],
      ["POST", `/api/apps/${app.id}/rollback`, { version: app.version }],
      ["GET", `/api/apps/${app.id}/logs`],
      ["GET", `/api/apps/${app.id}/data`],
      ["GET", `/api/apps/${app.id}/data/notes`],
      ["POST", `/api/apps/${app.id}/data/notes`, { text: "x" }],
      ["GET", `/api/apps/${app.id}/data/notes/1`],
      ["PATCH", `/api/apps/${app.id}/data/notes/1`, { text: "x" }],
      ["DELETE", `/api/apps/${app.id}/data/notes/1`],
    ];
    for (const [method, path, body] of routes) {
      const res = await other.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("not_found");
      expect(res.text).not.toContain("private");
    }
    expect((await other.call("GET", "/api/apps")).body.apps).toEqual([]);
    const still = await owner.call("GET", `/api/apps/${app.id}`);
    expect(still.body).toMatchObject({ previewVersion: app.version, liveVersion: null });
    expect((await owner.call("GET", `/api/apps/${app.id}/data/notes/1?env=preview`)).body.text).toBe("private");
  });
});
