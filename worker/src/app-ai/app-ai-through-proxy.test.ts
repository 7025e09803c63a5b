// kiln/ai end to end: an app importing it, uploaded through the API and served in a real Dynamic Worker; its calls
// reach ai.kiln only through the real egress proxy, which picks the model (the scripted model as the operator's, an
// owner's own key, or the demo model), counts tokens per app and stops at the app's monthly budget.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newUser, type TestUser } from "../../test/api-client";
import { askApp, auditedCalls, expectSecretsNowhere, runMarker } from "../../test/connector-app";
import { appWithSource, eventually } from "../../test/fixtures";
import { noModelEnv } from "../../test/no-model-env";
import { SCRIPTED_MODEL_KEY, type ScriptedRequest } from "../../test/scripted-model/scenarios";
import type { AiBudget } from "../core/api-shapes";
import { answerAiCall } from "./answer-ai-call";
import { DEFAULT_MONTHLY_TOKENS } from "./ai-budget";

const AI_APP = {
  "src/index.ts": `import { Hono } from "hono";
import { z } from "zod";
import { AIError, generateObject, generateText } from "kiln/ai";

const app = new Hono();
const Feedback = z.object({ label: z.enum(["praise", "complaint", "question"]), score: z.number().int().min(1).max(5) });

function failure(error: unknown) {
  if (error instanceof AIError) return { kind: "AIError", code: error.code, status: error.status, message: error.message };
  return { kind: error instanceof Error ? error.name : "unknown", message: String(error) };
}
app.onError((error, c) => c.json(failure(error), 502));

app.post("/text", async (c) => {
  const { prompt, run } = await c.req.json<{ prompt: string; run: string }>();
  const answer = await generateText({ system: "Answer in one sentence.", prompt });
  console.log("ai text done " + run + " " + JSON.stringify(answer));
  return c.json(answer);
});

app.post("/classify", async (c) => {
  const { prompt, run } = await c.req.json<{ prompt: string; run: string }>();
  const answer = await generateObject({ schema: Feedback, prompt });
  console.log("ai object done " + run);
  return c.json(answer);
});

export default app;
`,
};

type Answer = { text?: string; object?: { label: string; score: number }; usage: { totalTokens: number } };
type Failure = { kind: string; code: string; status: number; message: string };

async function aiApp(user: TestUser) {
  return appWithSource(user, `ai ${runMarker("")}`, AI_APP);
}

async function budgetOf(user: TestUser, appId: string): Promise<AiBudget> {
  const answer = await user.call("GET", `/api/apps/${appId}/ai-budget`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body.budget as AiBudget;
}

// Every request the scripted model received that carries `marker` in a message.
async function upstreamCalls(marker: string): Promise<ScriptedRequest[]> {
  const base = env.KILN_MODEL_BASE_URL.replace(/\/v1$/, "");
  const all = (await (await fetch(`${base}/__scripted/requests`)).json()) as ScriptedRequest[];
  return all.filter((r) => r.messages.some((m) => m.content.includes(marker)));
}

describe("kiln/ai through the egress proxy", () => {
  it("answers generateText with the operator's model, counts the tokens, and never shows the key", async () => {
    const user = await newUser();
    const app = await aiApp(user);
    const run = runMarker("text");
    const answer = await askApp<Answer>(`${app.previewUrl}text`, {
      method: "POST",
      body: { prompt: `[scenario:app-ai-text] Summarise today's orders ${run}`, run },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.text).toBe("Three orders today, all paid: 42.50 EUR in all.");
    const [upstream] = await upstreamCalls(run);
    expect(upstream?.authorization).toBe(`Bearer ${SCRIPTED_MODEL_KEY}`);
    expect(upstream?.model).toBe("kiln-scripted");
    expect(upstream?.system).toBe("Answer in one sentence.");
    const budget = await budgetOf(user, app.id);
    expect(budget).toMatchObject({ monthlyTokens: DEFAULT_MONTHLY_TOKENS, isDefault: true });
    expect(budget.used.calls).toBe(1);
    expect(budget.used.totalTokens).toBe(answer.json.usage.totalTokens);
    expect(budget.used.totalTokens).toBeGreaterThan(0);
    const calls = await auditedCalls(user, app.id);
    expect(calls).toMatchObject([
      { connector: "ai", host: "ai.kiln", path: "/v1/generate", outcome: "sent", status: 200 },
    ]);
    await expectSecretsNowhere(user, app.id, [SCRIPTED_MODEL_KEY], [answer], `ai text done ${run}`);
  });

  it("answers generateObject validated against the app's schema, the same every time", async () => {
    const user = await newUser();
    const app = await aiApp(user);
    const run = runMarker("object");
    const ask = () =>
      askApp<Answer>(`${app.previewUrl}classify`, {
        method: "POST",
        body: { prompt: `Classify this feedback: a complaint about the late delivery (${run})`, run },
      });
    const first = await ask();
    expect(first.status, first.text).toBe(200);
    expect(first.json.object).toEqual({ label: "complaint", score: 1 });
    expect((await ask()).json).toEqual(first.json);
    // Unscripted, the JSON Schema made from the app's zod schema reached the model as its response format.
    expect(await upstreamCalls(run)).toHaveLength(2);
  });

  it("throws a clear AIError when the model's object misses the schema, or is not JSON", async () => {
    const user = await newUser();
    const app = await aiApp(user);
    const wrong = await askApp<Failure>(`${app.previewUrl}classify`, {
      method: "POST",
      body: { prompt: `[scenario:app-ai-wrong-object] ${runMarker("w")}`, run: "w" },
    });
    expect(wrong.status).toBe(502);
    expect(wrong.json).toMatchObject({ kind: "AIError", code: "schema_mismatch" });
    expect(wrong.json.message).toMatch(/does not match the schema \(label: .*score: /);
    const prose = await askApp<Failure>(`${app.previewUrl}classify`, {
      method: "POST",
      body: { prompt: `[scenario:app-ai-not-json] ${runMarker("p")}`, run: "p" },
    });
    expect(prose.json).toMatchObject({ kind: "AIError", code: "model_failed" });
    expect(prose.json.message).toContain("did not answer with a JSON object");
    // Both reached a model: their tokens count.
    expect((await budgetOf(user, app.id)).used.calls).toBe(2);
  });

  it("refuses past the app's monthly budget, sends nothing upstream, and leaves other apps alone", async () => {
    const user = await newUser();
    const spent = await aiApp(user);
    const other = await aiApp(user);
    const set = await user.call("PUT", `/api/apps/${spent.id}/ai-budget`, { monthlyTokens: 0 });
    expect(set.status, set.text).toBe(200);
    expect(set.body.budget).toMatchObject({ monthlyTokens: 0, isDefault: false });
    const run = runMarker("budget");
    const refused = await askApp<Failure>(`${spent.previewUrl}text`, {
      method: "POST",
      body: { prompt: `Summarise ${run}`, run },
    });
    expect(refused.status).toBe(502);
    expect(refused.json).toMatchObject({ kind: "AIError", code: "budget_exceeded", status: 429 });
    expect(refused.json.message).toContain("this app has used its AI budget for the month (0 of 0 tokens)");
    expect(await upstreamCalls(run)).toEqual([]);
    await eventually(async () => {
      const logs = await user.call("GET", `/api/apps/${spent.id}/logs?limit=50`);
      return logs.text.includes("AI call not answered: this app has used its AI budget");
    });
    expect((await auditedCalls(user, spent.id)).at(-1)).toMatchObject({
      connector: "ai",
      outcome: "blocked",
      status: 429,
    });
    expect((await budgetOf(user, spent.id)).used.calls).toBe(0);

    const fine = await askApp<Answer>(`${other.previewUrl}text`, {
      method: "POST",
      body: { prompt: `Hi ${run}`, run },
    });
    expect(fine.status, fine.text).toBe(200);
    expect((await budgetOf(user, other.id)).used.calls).toBe(1);

    // Raising the budget lets the next call through.
    await user.call("PUT", `/api/apps/${spent.id}/ai-budget`, { monthlyTokens: 50_000 });
    const again = await askApp<Answer>(`${spent.previewUrl}text`, {
      method: "POST",
      body: { prompt: `Hi ${run}`, run },
    });
    expect(again.status, again.text).toBe(200);
    expect((await user.call("PUT", `/api/apps/${spent.id}/ai-budget`, { monthlyTokens: -1 })).status).toBe(400);
    // Each change is audited, with what it replaced (null: Kiln's default).
    const audited = await env.DB.prepare(
      "SELECT user_id AS userId, detail_json AS detail FROM audit_events WHERE app_id = ? AND action = 'app.ai_budget' ORDER BY id",
    )
      .bind(spent.id)
      .all<{ userId: string; detail: string }>();
    expect(audited.results.map((r) => ({ userId: r.userId, ...JSON.parse(r.detail) }))).toEqual([
      { userId: user.id, monthlyTokens: 0, previous: null },
      { userId: user.id, monthlyTokens: 50_000, previous: 0 },
    ]);
  });

  it("uses the owner's own key (an AI connection) instead of the operator's model, and never shows it", async () => {
    const user = await newUser();
    const rejected = await user.call("PUT", "/api/connections/ai", { key: "not-a-key" });
    expect(rejected.status).toBe(400);
    const connected = await user.call("PUT", "/api/connections/ai", { key: SCRIPTED_MODEL_KEY });
    expect(connected.status, connected.text).toBe(201);
    expect(connected.body.connection).toMatchObject({
      connector: "ai",
      label: "AI",
      last4: SCRIPTED_MODEL_KEY.slice(-4),
    });
    const app = await aiApp(user);
    const run = runMarker("own");
    const answer = await askApp<Answer>(`${app.previewUrl}text`, {
      method: "POST",
      body: { prompt: `[scenario:app-ai-text] ${run}`, run },
    });
    expect(answer.status, answer.text).toBe(200);
    const [upstream] = await upstreamCalls(run);
    expect(upstream?.model).toBe("gpt-4.1-mini");
    expect(upstream?.authorization).toBe(`Bearer ${SCRIPTED_MODEL_KEY}`);
    await expectSecretsNowhere(user, app.id, [SCRIPTED_MODEL_KEY], [answer], `ai text done ${run}`);
  });
});

describe("the demo model (no model configured)", () => {
  it("answers the same text and a schema-shaped object every time, and counts tokens", async () => {
    const user = await newUser();
    const app = await aiApp(user);
    const call = (body: unknown) =>
      answerAiCall(
        noModelEnv,
        { appId: app.id, ownerId: user.id },
        new Request("https://ai.kiln/v1/generate", { method: "POST", body: JSON.stringify(body) }),
      );
    const ask = { output: "text", prompt: "Summarise: two orders, one refund." };
    const first = await (await call(ask)).response.text();
    expect(first).toBe(await (await call(ask)).response.text());
    expect(JSON.parse(first)).toMatchObject({
      text: "Demo answer (no AI model is set up on this Kiln yet): Summarise: two orders, one refund.",
      finishReason: "stop",
    });
    const schema = {
      type: "object",
      properties: {
        label: { type: "string", enum: ["praise", "question"] },
        tags: { type: "array", items: { type: "string" }, minItems: 2 },
        when: { type: "string", format: "date-time" },
        count: { type: "integer", minimum: 3 },
      },
      required: ["label", "tags", "when", "count"],
    };
    const object = await call({ output: "object", prompt: "A question about opening hours", schema });
    expect(JSON.parse(await object.response.text()).object).toEqual({
      label: "question",
      tags: ["demo tags", "demo tags"],
      when: "2026-01-01T00:00:00.000Z",
      count: 3,
    });
    expect((await budgetOf(user, app.id)).used.calls).toBe(3);
    const malformed = await call({ output: "object", prompt: "no schema" });
    expect(malformed.response.status).toBe(400);
    expect(await malformed.response.json()).toMatchObject({ error: { code: "invalid_request" } });
  });
});
