import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../../test/api-client";
import { appWithSource, notesApp } from "../../../test/fixtures";

describe("the owner's data API and data isolation", () => {
  it("shows tables with their schema and pages rows, per environment", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "data", notesApp());
    for (const text of ["a", "b", "c"])
      await visit(`${app.previewUrl}notes`, { method: "POST", body: JSON.stringify({ text }) });
    const tables = await user.call("GET", `/api/apps/${app.id}/data?env=preview`);
    expect(tables.status).toBe(200);
    const notes = tables.body.tables.find((t: { name: string }) => t.name === "notes");
    expect(notes.rowCount).toBe(3);
    expect(notes.columns.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(["text", "pinned"]));
    const page = await user.call("GET", `/api/apps/${app.id}/data/notes?env=preview&limit=2&offset=1`);
    expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(page.body.rows.map((r: { text: string }) => r.text)).toEqual(["b", "c"]);
    expect((await user.call("GET", `/api/apps/${app.id}/data/missing`)).status).toBe(404);
    expect((await user.call("GET", `/api/apps/${app.id}/data?env=prod`)).status).toBe(400);
  });

  it("creates, reads, updates and deletes rows with validation", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "crud", notesApp());
    const created = await user.call("POST", `/api/apps/${app.id}/data/notes?env=preview`, {
      text: "hello",
      pinned: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ text: "hello", pinned: true });
    const id = created.body.id;
    expect((await user.call("GET", `/api/apps/${app.id}/data/notes/${id}?env=preview`)).body.text).toBe("hello");
    const patched = await user.call("PATCH", `/api/apps/${app.id}/data/notes/${id}?env=preview`, { pinned: false });
    expect(patched.body).toMatchObject({ text: "hello", pinned: false });
    const bad = await user.call("POST", `/api/apps/${app.id}/data/notes?env=preview`, { text: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/text/);
    expect((await user.call("DELETE", `/api/apps/${app.id}/data/notes/${id}?env=preview`)).status).toBe(200);
    expect((await user.call("GET", `/api/apps/${app.id}/data/notes/${id}?env=preview`)).status).toBe(404);
    expect((await user.call("DELETE", `/api/apps/${app.id}/data/notes/${id}?env=preview`)).status).toBe(404);
    expect((await user.call("GET", `/api/apps/${app.id}/data/notes/abc?env=preview`)).status).toBe(400);
  });

  it("preview writes are invisible in live", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "separate", notesApp());
    await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version });
    await visit(`${app.previewUrl}notes`, { method: "POST", body: JSON.stringify({ text: "draft only" }) });
    expect(JSON.parse((await visit(`${app.previewUrl}notes`)).text)).toHaveLength(1);
    expect(JSON.parse((await visit(`${app.liveUrl}notes`)).text)).toEqual([]);
    const live = await user.call("GET", `/api/apps/${app.id}/data/notes?env=live`);
    expect(live.body.total).toBe(0);
  });

  it("app A's code cannot reach app B's data, even with B's ids", async () => {
    const owner = await newUser();
    const b = await appWithSource(owner, "victim", notesApp());
    const secretRow = JSON.parse(
      (await visit(`${b.previewUrl}notes`, { method: "POST", body: JSON.stringify({ text: "B's secret" }) })).text,
    );
    const attacker = await newUser();
    const a = await appWithSource(attacker, "attacker", notesApp());
    // Same table name, B's row id: A only ever sees its own database.
    expect(JSON.parse((await visit(`${a.previewUrl}notes/${secretRow.id}`)).text)).toBeNull();
    expect(JSON.parse((await visit(`${a.previewUrl}notes`)).text)).toEqual([]);
    expect(JSON.parse((await visit(`${a.previewUrl}sql`)).text)).toEqual([{ n: 0 }]);
    // Through the API, B's data is simply not there for A's owner.
    expect((await attacker.call("GET", `/api/apps/${b.id}/data/notes?env=preview`)).status).toBe(404);
  });
});
