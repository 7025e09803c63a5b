// Recorded model answers the scripted model replays, by scenario and step
// (step n answers the n-th model call of a turn). Pure: the Node server and the
// workerd tests both import it. A test selects a scenario by putting
// `[scenario:<name>]` in the person's message.

/** The key every scripted-model request must carry (KILN_MODEL_API_KEY in the tests). */
/** One chat-completions call as the scripted model saw it (recorded by server.ts, read by client.ts). */
export interface ScriptedRequest {
  scenario: string | null;
  step: number;
  model: string;
  authorization: string | null;
  system: string;
  messages: { role: string; content: string }[];
  usage: { prompt_tokens: number; completion_tokens: number };
  /** The caller hung up before the answer (a `[delay:…]` call Kiln aborted). */
  aborted?: boolean;
}

export const SCRIPTED_MODEL_KEY = "sk-kiln-scripted-model-test-key";

const notesIndex = `import { Hono } from "hono";
import { defineTables, type AppEnv } from "kiln";
import { greeting } from "./greeting";

export const tables = defineTables({
  notes: { text: "text" },
});

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", (c) => c.text(greeting()));
app.get("/notes", async (c) => c.json(await c.env.DB.list("notes")));
app.post("/notes", async (c) => {
  const body = await c.req.json<{ text: string }>();
  return c.json(await c.env.DB.insert("notes", { text: body.text }), 201);
});
export default app;
`;

/** The files of the notes app the "first-time" scenario writes. */
export const notesFiles: Record<string, string> = {
  "src/index.ts": notesIndex,
  "src/greeting.ts": `export function greeting(): string {\n  return "Notes are ready";\n}\n`,
};

const fileBlocks = (files: Record<string, string>) =>
  Object.entries(files)
    .map(([path, text]) => `<file path="${path}">\n${text}</file>`)
    .join("\n");

const brokenGreeting = `export function greeting(): string {\n  const count: number = "three";\n  return "Notes: " + count;\n}\n`;

const chargesIndex = `import { Hono } from "hono";
import { stripe } from "kiln/stripe";

const app = new Hono();
app.get("/", (c) => c.text("Charges"));
app.get("/charges", async (c) => {
  const page = await stripe.charges.list({ limit: 10, created: { gte: 0 } });
  return c.json(page.data.map((charge) => ({ id: charge.id, amount: charge.amount })));
});
export default app;
`;

/** Answers per scenario, in call order. */
export const scenarios: Record<string, string[]> = {
  "first-time": [
    `<plan>A notes app: a notes table, a home page and routes to list and add notes.</plan>\n${fileBlocks(notesFiles)}\n<summary>Created a notes app with a notes table.</summary>`,
  ],
  "repair-once": [
    `<plan>A notes app with a greeting.</plan>\n${fileBlocks({ ...notesFiles, "src/greeting.ts": brokenGreeting })}\n<summary>Created a notes app.</summary>`,
    `<plan>Fix the type of count.</plan>\n<file path="src/greeting.ts">\nexport function greeting(): string {\n  const count: number = 3;\n  return "Notes: " + count;\n}\n</file>\n<summary>Created a notes app (fixed a type error).</summary>`,
  ],
  "never-builds": Array.from(
    { length: 8 },
    (_, i) =>
      `<plan>Attempt ${i + 1} at a greeting.</plan>\n<file path="src/greeting.ts">\n${brokenGreeting}</file>\n<summary>Changed the greeting.</summary>`,
  ),
  question: [
    `<plan>You want a booking app, but not what is booked.</plan>\n<question>What will people book: rooms, appointments with you, or equipment?</question>`,
  ],
  "lookup-charges": [
    `<plan>Read the charges API first.</plan>\n<lookup>stripe.charges.list, stripe.nothing.here</lookup>`,
    `<plan>A page of recent charges.</plan>\n${fileBlocks({ "src/index.ts": chargesIndex })}\n<summary>Lists recent charges.</summary>`,
  ],
  "lookup-forever": [
    "<lookup>stripe.charges</lookup>",
    "<lookup>stripe.refunds.create</lookup>",
    "<lookup>Charge.Outcome</lookup>",
    `<plan>A page of recent charges.</plan>\n${fileBlocks({ "src/index.ts": chargesIndex })}\n<summary>Lists recent charges.</summary>`,
  ],
  // kiln/ai calls of apps (worker/src/app-ai): a model's text, an object that misses the app's schema, and no JSON.
  "app-ai-text": ["Three orders today, all paid: 42.50 EUR in all."],
  "app-ai-wrong-object": ['{"label":"furious","score":"high"}'],
  "app-ai-not-json": ["I would call this one praise."],
  "edit-greeting": [
    `<plan>Change only the greeting text.</plan>\n<file path="src/greeting.ts">\nexport function greeting(): string {\n  return "Welcome to your notes";\n}\n</file>\n<summary>Changed the home page greeting.</summary>`,
  ],
};

/** The scenario a request selects: the newest user message that names one. */
export function scenarioOf(
  messages: readonly { role: string; content: unknown }[],
): { name: string; step: number } | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== "user") continue;
    const match = /\[scenario:([a-z-]+)\]/.exec(textOf(message.content));
    if (!match) continue;
    const step = messages.slice(i + 1).filter((m) => m.role === "assistant").length;
    return { name: match[1]!, step };
  }
  return null;
}

/** Text of an OpenAI message's content (a string or an array of text parts). */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((part: { text?: unknown }) => (typeof part?.text === "string" ? part.text : "")).join("");
  return "";
}
