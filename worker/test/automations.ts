// Test helpers for automations: an app published with given automations, its
// automation rows moved back in time, ticks at chosen instants, and waiting
// for runs to end (they run in the dispatcher, after the tick returns).
import { env } from "cloudflare:test";
import { expect } from "vitest";
import type { TestUser } from "./api-client";
import { appWithSource, eventually } from "./fixtures";
import { type TickReport, tickAutomations } from "../src/automations/tick";
import type { RunRecord } from "../src/automations/run-store";

/** An app with a `runs` table its automations write to, and the given `automations` export (source text). */
export function automationApp(automations: string, imports = ""): Record<string, string> {
  return {
    "src/index.ts": `import { defineTables, type AppEnv, type Automations } from "kiln";
${imports}
export const tables = defineTables({ runs: { automation: "text", trigger: "text", slot: "text?", attempt: "integer", input: "json?" } });
type Env = AppEnv<typeof tables>;
export const automations: Automations<typeof tables> = ${automations};
export default { fetch: () => new Response("automations app") };
`,
  };
}

/** Creates, uploads and publishes an app; answers its id. */
export async function publishedApp(
  user: TestUser,
  files: Record<string, string>,
): Promise<{ id: string; version: string }> {
  const app = await appWithSource(user, `auto ${crypto.randomUUID().slice(0, 6)}`, files);
  const published = await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version });
  expect(published.status, published.text).toBe(200);
  return { id: app.id, version: app.version };
}

/** Moves an automation's next slot, as if it had been published at an earlier time. */
export async function setNextSlot(appId: string, name: string, at: string): Promise<void> {
  await env.DB.prepare("UPDATE automations SET next_slot_at = ? WHERE app_id = ? AND name = ?")
    .bind(at, appId, name)
    .run();
}

/** Ticks at `at` (the real tick the cron trigger runs, with a chosen clock). */
export function tickAt(at: string | Date): Promise<TickReport> {
  return tickAutomations(env, new Date(at));
}

/** The app's runs (newest first) through the API. */
export async function runsOf(user: TestUser, appId: string, query = ""): Promise<RunRecord[]> {
  const answer = await user.call("GET", `/api/apps/${appId}/runs?limit=200${query}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body.runs as RunRecord[];
}

/** Waits until no run of the app is queued, running or waiting for a retry. */
export async function settled(user: TestUser, appId: string, timeoutMs = 15_000): Promise<RunRecord[]> {
  return eventually(async () => {
    const runs = await runsOf(user, appId);
    return runs.every((run) => run.status !== "queued" && run.status !== "running" && run.status !== "retrying")
      ? runs
      : null;
  }, timeoutMs);
}

/** The rows the app's automations wrote to its live database. */
export async function appRows(
  user: TestUser,
  appId: string,
): Promise<{ automation: string; trigger: string; slot: string | null; attempt: number; input: unknown }[]> {
  const answer = await user.call("GET", `/api/apps/${appId}/data/runs?env=live&limit=500`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body.rows;
}
