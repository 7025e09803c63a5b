// Tokens are held before an AI call is sent and settled after: calls made at the same moment never pass an app's
// budget or its owner's shared allowance of the operator's model, and a call that timed out counts as spent. Real
// D1 (migrations 0020 and 0023), the real AI SDK against the scripted model on loopback.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newUser, type TestUser } from "../../test/api-client";
import { runMarker } from "../../test/connector-app";
import { noModelEnv } from "../../test/no-model-env";
import { SCRIPTED_MODEL_KEY, type ScriptedRequest } from "../../test/scripted-model/scenarios";
import type { Env } from "../core/env";
import { type AiCallOptions, answerAiCall } from "./answer-ai-call";
import { estimateInputTokens } from "./ai-estimate";

async function emptyApp(user: TestUser): Promise<string> {
  const created = await user.call("POST", "/api/apps", { name: `ai ${runMarker("")}` });
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

async function ask(
  callEnv: Env,
  user: TestUser,
  appId: string,
  body: Record<string, unknown>,
  options: AiCallOptions = {},
): Promise<{
  status: number;
  json: { text?: string; usage?: { inputTokens: number }; error?: { code: string; message: string } };
}> {
  const request = new Request("https://ai.kiln/v1/generate", { method: "POST", body: JSON.stringify(body) });
  const { response } = await answerAiCall(callEnv, { appId, ownerId: user.id }, request, options);
  return { status: response.status, json: await response.json() };
}

async function appUsage(appId: string) {
  const row = await env.DB.prepare(
    `SELECT COALESCE((SELECT input_tokens + output_tokens FROM app_ai_usage WHERE app_id = ?1), 0) AS used,
       (SELECT COALESCE(SUM(tokens), 0) FROM ai_holds WHERE app_id = ?1) AS reserved,
       COALESCE((SELECT calls FROM app_ai_usage WHERE app_id = ?1), 0) AS calls`,
  )
    .bind(appId)
    .first<{ used: number; reserved: number; calls: number }>();
  return row ?? { used: 0, reserved: 0, calls: 0 };
}

async function ownerUsage(ownerId: string) {
  const row = await env.DB.prepare(
    `SELECT COALESCE((SELECT used_tokens FROM owner_ai_usage WHERE owner_id = ?1), 0) AS used,
       (SELECT COALESCE(SUM(tokens), 0) FROM ai_holds WHERE owner_id = ?1) AS reserved,
       COALESCE((SELECT calls FROM owner_ai_usage WHERE owner_id = ?1), 0) AS calls`,
  )
    .bind(ownerId)
    .first<{ used: number; reserved: number; calls: number }>();
  return row ?? { used: 0, reserved: 0, calls: 0 };
}

async function upstreamCalls(marker: string): Promise<ScriptedRequest[]> {
  const base = env.KILN_MODEL_BASE_URL.replace(/\/v1$/, "");
  const all = (await (await fetch(`${base}/__scripted/requests`)).json()) as ScriptedRequest[];
  return all.filter((r) => r.messages.some((m) => m.content.includes(marker)));
}

// About 500 tokens of input as the scripted model counts them (four characters a token), ~700 as Kiln estimates.
const longPrompt = (run: string, i: number) => `[scenario:app-ai-text] ${run} #${i} ${"order 42 paid; ".repeat(133)}`;

describe("AI tokens held before the call", () => {
  it("never lets concurrent calls pass the app's budget, and releases what they did not use", async () => {
    const user = await newUser();
    const appId = await emptyApp(user);
    const budget = 2_000;
    expect((await user.call("PUT", `/api/apps/${appId}/ai-budget`, { monthlyTokens: budget })).status).toBe(200);
    const run = runMarker("race");
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ask(env, user, appId, { output: "text", prompt: longPrompt(run, i), maxOutputTokens: 64 }),
      ),
    );
    const answered = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) {
      expect(r.json.error?.code).toBe("budget_exceeded");
      expect(r.json.error?.message).toContain("this app's AI budget");
      expect(r.json.error?.message).toContain("raise the budget in the app's Settings");
    }
    // Checked first and counted after, all twelve would have been sent (about 6,000 tokens against 2,000).
    expect(await upstreamCalls(run)).toHaveLength(answered.length);
    const usage = await appUsage(appId);
    expect(usage.used).toBeLessThanOrEqual(budget);
    expect(usage.used).toBeGreaterThan(0);
    expect(usage).toMatchObject({ reserved: 0, calls: answered.length });
  });

  it("caps the operator's shared model per owner, all apps together, and not an owner's own key or the demo model", async () => {
    const user = await newUser();
    const [first, second] = [await emptyApp(user), await emptyApp(user)];
    const allowance = 3_000;
    const capped: Env = { ...env, KILN_AI_OWNER_MONTHLY_TOKENS: String(allowance) };
    const run = runMarker("owner");
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ask(capped, user, i % 2 ? first : second, { output: "text", prompt: longPrompt(run, i), maxOutputTokens: 64 }),
      ),
    );
    const answered = answers.filter((a) => a.status === 200).length;
    expect(answered).toBeGreaterThanOrEqual(1);
    const owner = await ownerUsage(user.id);
    expect(owner.used).toBeLessThanOrEqual(allowance);
    expect(owner).toMatchObject({ reserved: 0, calls: answered });
    // Each app's budget (100,000) had room: the owner's allowance stopped them.
    const refused = answers.find((a) => a.status !== 200);
    expect(refused?.json.error?.code).toBe("budget_exceeded");
    expect(refused?.json.error?.message).toContain("shared AI allowance of this app's owner");
    expect(refused?.json.error?.message).toContain(
      "connect their own OpenAI or Anthropic key under Connections → AI in Kiln",
    );
    expect(await upstreamCalls(run)).toHaveLength(answered);

    // Spent to the last token: "used up", and still nothing is sent.
    await env.DB.prepare("UPDATE owner_ai_usage SET used_tokens = ? WHERE owner_id = ?").bind(allowance, user.id).run();
    const spent = await ask(capped, user, first, { output: "text", prompt: `Hi ${run}` });
    expect(spent.json.error?.message).toMatch(
      /^the shared AI allowance of this app's owner is used up for the month: their apps together used 3,000 of the 3,000 tokens/,
    );

    // "0": the operator's model answers no app, in words saying how to use AI anyway.
    const off = await ask({ ...env, KILN_AI_OWNER_MONTHLY_TOKENS: "0" }, user, first, {
      output: "text",
      prompt: `Hi ${run}`,
    });
    expect(off.status).toBe(503);
    expect(off.json.error?.code).toBe("not_configured");
    expect(off.json.error?.message).toContain("Connections → AI");
    const typo = await ask({ ...env, KILN_AI_OWNER_MONTHLY_TOKENS: "lots" }, user, first, {
      output: "text",
      prompt: "Hi",
    });
    expect(typo.json.error?.message).toContain("KILN_AI_OWNER_MONTHLY_TOKENS must be a whole number");

    // The demo model costs nothing: no allowance applies, even at "0".
    const demo = await ask({ ...noModelEnv, KILN_AI_OWNER_MONTHLY_TOKENS: "0" }, user, second, {
      output: "text",
      prompt: "Hi",
    });
    expect(demo.status).toBe(200);

    // With their own key, only each app's budget applies: the spent allowance neither stops nor counts the call.
    expect((await user.call("PUT", "/api/connections/ai", { key: SCRIPTED_MODEL_KEY })).status).toBe(201);
    const own = await ask(capped, user, first, { output: "text", prompt: `[scenario:app-ai-text] ${run} own` });
    expect(own.status, JSON.stringify(own.json)).toBe(200);
    expect(await ownerUsage(user.id)).toMatchObject({ used: allowance, reserved: 0 });
  });

  it("counts a call that timed out as spent in full (the provider may have billed it)", async () => {
    const user = await newUser();
    const appId = await emptyApp(user);
    const run = runMarker("slow");
    const prompt = `[scenario:app-ai-text] [delay:5000] ${run}`;
    const slow = await ask(env, user, appId, { output: "text", prompt, maxOutputTokens: 200 }, { timeoutMs: 300 });
    expect(slow.status).toBe(502);
    expect(slow.json.error).toMatchObject({ code: "model_failed" });
    expect(slow.json.error?.message).toContain("did not answer within");
    expect(await appUsage(appId)).toEqual({ used: estimateInputTokens([prompt], "text") + 200, reserved: 0, calls: 1 });
    expect((await ownerUsage(user.id)).used).toBe(estimateInputTokens([prompt], "text") + 200);
  });

  it("holds generateObject's framing, and a provider that counts past the hold overshoots by its excess once per call", async () => {
    const user = await newUser();
    const appId = await emptyApp(user);
    const budget = 1_500;
    expect((await user.call("PUT", `/api/apps/${appId}/ai-budget`, { monthlyTokens: budget })).status).toBe(200);
    const schema = { type: "object", properties: { label: { type: "string", enum: ["praise", "complaint"] } } };
    const run = runMarker("framing");
    // The provider adds ~350 tokens of tool or JSON-mode text to each: ~10x what the short prompt itself counts.
    const prompt = (i: number) => `A complaint [framing:350] ${run} #${i}`;
    const objectCall = (i: number) => ({ output: "object", prompt: prompt(i), schema, maxOutputTokens: 64 });
    const hold = estimateInputTokens([prompt(0), JSON.stringify(schema)], "object");
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => ask(env, user, appId, objectCall(i))));
    const answered = answers.filter((a) => a.status === 200);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(1);
    // Each call's input fits its hold, so the month holds: without the margin all six would go (~2,400 tokens).
    for (const a of answered) expect(a.json.usage?.inputTokens ?? 0).toBeGreaterThan(350);
    for (const a of answered) expect(a.json.usage?.inputTokens ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(hold);
    expect((await appUsage(appId)).used).toBeLessThanOrEqual(budget);

    // Framing far past the margin: both calls under way are let through, and the month passes its budget by at most
    // each one's excess over its hold; the next call is refused.
    const other = await emptyApp(user);
    expect((await user.call("PUT", `/api/apps/${other}/ai-budget`, { monthlyTokens: 1_200 })).status).toBe(200);
    const heavy = (i: number) => ({ ...objectCall(i), prompt: `A complaint [framing:1000] ${run} heavy #${i}` });
    const heavyHold = estimateInputTokens([heavy(0).prompt, JSON.stringify(schema)], "object") + 64;
    const both = await Promise.all([0, 1].map((i) => ask(env, user, other, heavy(i))));
    expect(both.map((a) => a.status)).toEqual([200, 200]);
    const excess = both.map((a) => (a.json.usage?.inputTokens ?? 0) + 64 - heavyHold);
    for (const e of excess) expect(e).toBeGreaterThan(0);
    const over = (await appUsage(other)).used - 1_200;
    expect(over).toBeGreaterThan(0);
    expect(over).toBeLessThanOrEqual(excess.reduce((sum, e) => sum + e, 0));
    expect((await appUsage(other)).reserved).toBe(0);
    expect((await ask(env, user, other, heavy(2))).json.error?.code).toBe("budget_exceeded");
  });
});
