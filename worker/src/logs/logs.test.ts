import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource, eventually, notesApp } from "../../test/fixtures";

describe("app logs", () => {
  it("keeps console output per request, newest first, filterable by request id and environment", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "logging", notesApp());
    const first = await visit(`${app.previewUrl}log?q=one`);
    const second = await visit(`${app.previewUrl}log?q=two`);
    const id1 = first.headers.get("x-kiln-request-id");
    const id2 = second.headers.get("x-kiln-request-id");
    const all = await eventually(async () => {
      const res = await user.call("GET", `/api/apps/${app.id}/logs`);
      return res.body.logs.length >= 4 ? res.body.logs : null;
    });
    expect(all[0].requestId).toBe(id2);
    expect(all.map((l: { message: string }) => l.message)).toEqual([
      "careful",
      "visitor asked for two",
      "careful",
      "visitor asked for one",
    ]);
    expect(all[0].level).toBe("warn");
    const only = await user.call("GET", `/api/apps/${app.id}/logs?requestId=${id1}`);
    expect(only.body.logs.map((l: { message: string }) => l.message)).toEqual(["careful", "visitor asked for one"]);
    expect((await user.call("GET", `/api/apps/${app.id}/logs?env=live`)).body.logs).toEqual([]);
    expect((await user.call("GET", `/api/apps/${app.id}/logs?env=staging`)).status).toBe(400);
  });

  it("truncates a flood of logs with a marker", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "flood", notesApp());
    const page = await visit(`${app.previewUrl}flood`);
    const requestId = page.headers.get("x-kiln-request-id");
    const logs = await eventually(async () => {
      const res = await user.call("GET", `/api/apps/${app.id}/logs?requestId=${requestId}&limit=500`);
      return res.body.logs.length > 0 ? res.body.logs : null;
    });
    expect(logs).toHaveLength(100);
    expect(logs[0].message).toMatch(/401 more log lines from this request were dropped/);
  });

  it("filters by minimum level and tails new lines after a cursor without skipping any", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "tail", notesApp());
    await visit(`${app.previewUrl}log?q=one`);
    await visit(`${app.previewUrl}boom`);
    const all = await eventually(async () => {
      const res = await user.call("GET", `/api/apps/${app.id}/logs`);
      return res.body.logs.some((l: { level: string }) => l.level === "error") && res.body.logs.length >= 3
        ? res.body.logs
        : null;
    });
    const levels = (logs: Array<{ level: string }>) => [...new Set(logs.map((l) => l.level))].sort();
    expect(levels(all)).toEqual(["error", "log", "warn"]);
    const warnings = await user.call("GET", `/api/apps/${app.id}/logs?minLevel=warn`);
    expect(levels(warnings.body.logs)).toEqual(["error", "warn"]);
    const errors = await user.call("GET", `/api/apps/${app.id}/logs?minLevel=error`);
    expect(levels(errors.body.logs)).toEqual(["error"]);
    expect(errors.body.logs.some((l: { message: string }) => l.message.includes("kaboom in notes"))).toBe(true);
    expect((await user.call("GET", `/api/apps/${app.id}/logs?minLevel=loud`)).status).toBe(400);

    const cursor = Math.max(...all.map((l: { id: number }) => l.id));
    expect((await user.call("GET", `/api/apps/${app.id}/logs?after=${cursor}`)).body.logs).toEqual([]);
    await visit(`${app.previewUrl}log?q=two`);
    await visit(`${app.previewUrl}log?q=three`);
    const fresh = await eventually(async () => {
      const res = await user.call("GET", `/api/apps/${app.id}/logs?after=${cursor}`);
      return res.body.logs.length >= 4 ? res.body.logs : null;
    });
    expect(fresh.map((l: { message: string }) => l.message)).toEqual([
      "careful",
      "visitor asked for three",
      "careful",
      "visitor asked for two",
    ]);
    // A full page after the cursor is the oldest new lines, so the next poll continues from there.
    const firstTwo = await user.call("GET", `/api/apps/${app.id}/logs?after=${cursor}&limit=2`);
    expect(firstTwo.body.logs.map((l: { message: string }) => l.message)).toEqual(["careful", "visitor asked for two"]);
    const onlyWarn = await user.call("GET", `/api/apps/${app.id}/logs?after=${cursor}&minLevel=warn`);
    expect(onlyWarn.body.logs.map((l: { message: string }) => l.message)).toEqual(["careful", "careful"]);
  });
});
