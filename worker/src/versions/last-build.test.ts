import { describe, expect, it } from "vitest";
import { newUser } from "../../test/api-client";
import { appWithSource, notesApp } from "../../test/fixtures";
import { streamedCall } from "../../test/scripted-model/client";

const lastBuild = async (user: Awaited<ReturnType<typeof newUser>>, appId: string) => {
  const res = await user.call("GET", `/api/apps/${appId}/builds/last`);
  expect(res.status).toBe(200);
  return res.body.build;
};

describe("the last build of an app", () => {
  it("is null before the first build, then records each save's outcome with its diagnostics", async () => {
    const user = await newUser();
    const created = await user.call("POST", "/api/apps", { name: "last build" });
    expect(await lastBuild(user, created.body.id)).toBeNull();

    const upload = await user.call("PUT", `/api/apps/${created.body.id}/source`, { files: notesApp() });
    const good = upload.body.version as string;
    expect(await lastBuild(user, created.body.id)).toMatchObject({
      status: "ok",
      stage: null,
      message: null,
      diagnostics: [],
      version: good,
      previewVersion: good,
    });

    const broken = {
      ...notesApp(),
      "src/index.ts": notesApp()["src/index.ts"]!.replace('c.text("hello from notes")', "c.text(42)"),
    };
    expect((await user.call("PUT", `/api/apps/${created.body.id}/source`, { files: broken })).status).toBe(422);
    const failed = await lastBuild(user, created.body.id);
    expect(failed).toMatchObject({ status: "failed", stage: "type-check", version: null, previewVersion: good });
    expect(failed.message).toMatch(/./);
    expect(failed.diagnostics[0]).toMatchObject({ file: "src/index.ts", line: 10 });
    expect(failed.diagnostics[0].message).toMatch(/number/);
    expect(Date.parse(failed.builtAt)).toBeGreaterThan(Date.now() - 60_000);

    // Fixing it replaces the failure.
    const fixed = await user.call("PUT", `/api/apps/${created.body.id}/source`, { files: notesApp("fixed") });
    expect(await lastBuild(user, created.body.id)).toMatchObject({
      status: "ok",
      diagnostics: [],
      version: fixed.body.version,
      previewVersion: fixed.body.version,
    });
  });

  it("says when a build waits for a data-loss confirmation, and keeps other people out", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "confirm", notesApp());
    const dropped = { "src/index.ts": `export default { fetch: () => new Response("no tables") };` };
    expect((await user.call("PUT", `/api/apps/${app.id}/source`, { files: dropped })).status).toBe(409);
    const waiting = await lastBuild(user, app.id);
    expect(waiting).toMatchObject({
      status: "needs_confirmation",
      stage: "migration",
      version: null,
      previewVersion: app.version,
    });
    expect(waiting.message).toContain("notes");

    const stranger = await newUser();
    expect((await stranger.call("GET", `/api/apps/${app.id}/builds/last`)).status).toBe(404);
  });

  it("records chat turns too: the last repair attempt's failure, with the version still serving", async () => {
    const user = await newUser();
    const created = await user.call("POST", "/api/apps", { name: "chat builds" });
    const id = created.body.id as string;
    await streamedCall(user, `/api/apps/${id}/chat`, { message: `Notes [scenario:first-time] ${id}` });
    const built = await lastBuild(user, id);
    expect(built).toMatchObject({ status: "ok" });
    await streamedCall(user, `/api/apps/${id}/chat`, { message: `Change the greeting [scenario:never-builds] ${id}` });
    const failed = await lastBuild(user, id);
    expect(failed).toMatchObject({ status: "failed", stage: "type-check", previewVersion: built.version });
    expect(failed.diagnostics.length).toBeGreaterThan(0);
  });
});
