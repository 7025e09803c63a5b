import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newUser } from "../../test/api-client";

const now = () => new Date().toISOString();

async function addAutomation(appId: string, name: string, consecutiveFailures: number, active = 1): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO automations (app_id, name, version, cron, timezone, active, consecutive_failures, updated_at) VALUES (?, ?, 'v', '0 8 * * *', 'UTC', ?, ?, ?)",
  )
    .bind(appId, name, active, consecutiveFailures, now())
    .run();
}

describe("the app list's health column", () => {
  it("counts paused versions and failing live automations per app, and only the caller's apps", async () => {
    const user = await newUser();
    const sick = (await user.call("POST", "/api/apps", { name: "Sick" })).body as { id: string };
    const fine = (await user.call("POST", "/api/apps", { name: "Fine" })).body as { id: string };
    await env.DB.prepare(
      "INSERT INTO quarantines (app_id, version, reason, message, created_at) VALUES (?, 'v1', 'time_budget', 'Paused.', ?)",
    )
      .bind(sick.id, now())
      .run();
    await addAutomation(sick.id, "digest", 3);
    await addAutomation(sick.id, "cleanup", 1);
    await addAutomation(sick.id, "retired", 5, 0);
    await addAutomation(fine.id, "ping", 0);

    const { apps } = (await user.call("GET", "/api/apps")).body as { apps: { id: string; health: unknown }[] };
    const health = (id: string) => apps.find((a) => a.id === id)?.health;
    expect(health(sick.id)).toEqual({
      pausedVersions: 1,
      failingAutomations: 1,
      automations: 2,
      liveNumber: null,
      previewNumber: null,
    });
    expect(health(fine.id)).toEqual({
      pausedVersions: 0,
      failingAutomations: 0,
      automations: 1,
      liveNumber: null,
      previewNumber: null,
    });

    // Version numbers: preview v2, live v1.
    const source = (text: string) => ({
      files: { "src/index.ts": `export default { fetch: () => new Response(${JSON.stringify(text)}) };\n` },
    });
    const v1 = (await user.call("PUT", `/api/apps/${fine.id}/source`, source("one"))).body as { version: string };
    await user.call("POST", `/api/apps/${fine.id}/publish`, { version: v1.version });
    expect((await user.call("PUT", `/api/apps/${fine.id}/source`, source("two"))).status).toBe(200);
    const listed = (await user.call("GET", "/api/apps")).body.apps as {
      id: string;
      health: { liveNumber: number; previewNumber: number };
    }[];
    expect(listed.find((a) => a.id === fine.id)?.health).toMatchObject({ liveNumber: 1, previewNumber: 2 });

    const stranger = await newUser();
    expect((await stranger.call("GET", "/api/apps")).body.apps).toEqual([]);
  });
});
