// A build's trial (its smoke start and the app's own checks) calls kiln/ai like the app will, but is answered by the
// demo model: no model is asked, neither the owner's own key nor the operator's, and nothing is charged to the
// app's budget or the owner's allowance. Through the real build, runner and egress proxy.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newUser } from "../../test/api-client";
import { askApp, auditedCalls, runMarker } from "../../test/connector-app";
import { appWithSource } from "../../test/fixtures";
import { SCRIPTED_MODEL_KEY, type ScriptedRequest } from "../../test/scripted-model/scenarios";
import type { AiBudget } from "../core/api-shapes";

// Its home page and its check both ask the model; the check expects the demo model's classification.
const checkedAiApp = (run: string) => ({
  "src/index.ts": `import { Hono } from "hono";
import { z } from "zod";
import { generateObject, generateText } from "kiln/ai";

export const checks = [
  { name: "classifies a complaint", method: "POST", path: "/classify", body: { prompt: "a complaint ${run}" }, json: { label: "complaint" } },
];

const app = new Hono();
app.get("/", async (c) => c.text((await generateText({ prompt: "Greet ${run}" })).text));
app.post("/classify", async (c) => {
  const { prompt } = await c.req.json<{ prompt: string }>();
  const { object } = await generateObject({ schema: z.object({ label: z.enum(["praise", "complaint"]) }), prompt });
  return c.json(object);
});
export default app;
`,
});

async function upstreamCalls(marker: string): Promise<ScriptedRequest[]> {
  const base = env.KILN_MODEL_BASE_URL.replace(/\/v1$/, "");
  const all = (await (await fetch(`${base}/__scripted/requests`)).json()) as ScriptedRequest[];
  return all.filter((r) => r.messages.some((m) => m.content.includes(marker)));
}

describe("kiln/ai in a build's trial", () => {
  it("is answered by the demo model and charges nothing, with the owner's own key too", async () => {
    const user = await newUser();
    expect((await user.call("PUT", "/api/connections/ai", { key: SCRIPTED_MODEL_KEY })).status).toBe(201);
    const run = runMarker("trial");
    const app = await appWithSource(user, `ai trial ${run}`, checkedAiApp(run));
    expect(await upstreamCalls(run)).toEqual([]);
    const budget = (await user.call("GET", `/api/apps/${app.id}/ai-budget`)).body.budget as AiBudget;
    expect(budget.used).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0, calls: 0 });
    const held = await env.DB.prepare("SELECT COUNT(*) AS n FROM ai_holds WHERE app_id = ? OR owner_id = ?")
      .bind(app.id, user.id)
      .first<{ n: number }>();
    expect(held?.n).toBe(0);
    const owner = await env.DB.prepare("SELECT COUNT(*) AS n FROM owner_ai_usage WHERE owner_id = ?")
      .bind(user.id)
      .first<{ n: number }>();
    expect(owner?.n).toBe(0);
    // Still audited, as the trial's: the smoke start's call and the check's.
    const trialCalls = (await auditedCalls(user, app.id)).filter((c) => c.host === "ai.kiln");
    expect(trialCalls.length).toBe(2);

    // Deployed, the same call reaches the owner's key and is counted.
    const answer = await askApp<{ label: string }>(`${app.previewUrl}classify`, {
      method: "POST",
      body: { prompt: `a complaint ${run}` },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(await upstreamCalls(run)).toHaveLength(1);
    const after = (await user.call("GET", `/api/apps/${app.id}/ai-budget`)).body.budget as AiBudget;
    expect(after.used.calls).toBe(1);
  });
});
