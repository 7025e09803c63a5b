// __APP_TITLE__: a public form; each submission is sorted by AI (a category), goes to Airtable and to the owner's inbox.
// Page: GET / (form), POST /submit (form post, then a thank-you page).
// API: POST /api/submissions (JSON), GET /api/submissions?category= (the owner's only: requireOwner).
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import { type AppEnv, type Check, requireOwner, type Setup } from "kiln";
import { z } from "zod";
import { deliver } from "./deliver";
import { page } from "./page";
import { tables } from "./tables";

export { tables };

/** Where submissions go: Kiln asks the owner for both, and publishing waits for them. */
export const setup = {
  SUBMISSIONS: {
    type: "airtable_table",
    label: "Airtable table for the submissions",
    name: "Submissions",
    fields: { Name: "singleLineText", Email: "email", Message: "multilineText" },
  },
  NOTIFY_EMAIL: { type: "email", label: "Your email, for an alert on each submission" },
} satisfies Setup;

/** Run before each deploy. None sends a valid form: that would save to Airtable, email you and use AI on every build. */
export const checks: Check[] = [
  { name: "the form is shown", path: "/", contains: 'name="message"' },
  { name: "a bad email is refused", method: "POST", path: "/submit", form: { name: "Bob", email: "not an email", message: "hi" }, status: 400, contains: "Please give an email address we can answer." },
  { name: "submissions are private", path: "/api/submissions", status: 401 },
  { name: "the owner can list them", path: "/api/submissions?category=question", as: "owner", json: { length: 0 } },
];

const APP_TITLE = "__APP_TITLE__";

type Env = AppEnv<typeof tables>;
const app = new Hono<{ Bindings: Env }>();

const submissionInput = z.object({
  name: z.string().trim().min(1, "Please tell us your name.").max(200),
  email: z.email("Please give an email address we can answer.").max(200),
  message: z.string().trim().min(1, "Please write a message.").max(5000),
});

async function bodyOf(c: Context): Promise<Record<string, unknown>> {
  if ((c.req.header("content-type") ?? "").includes("application/json")) return c.req.json<Record<string, unknown>>();
  return Object.fromEntries((await c.req.formData()).entries()) as Record<string, unknown>;
}

function form(error?: string, values: Record<string, unknown> = {}) {
  const value = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : "");
  return html`<section>${error ? html`<p style="color:#b3261e">${error}</p>` : ""}
<form method="post" action="/submit">
<label for="name">Your name</label><input id="name" type="text" name="name" value="${value("name")}" required>
<label for="email">Your email</label><input id="email" type="email" name="email" value="${value("email")}" required>
<label for="message">Message</label><textarea id="message" name="message" rows="6" style="width:100%;box-sizing:border-box" required>${value("message")}</textarea>
<button type="submit">Send</button></form></section>`;
}

async function submit(env: Env, input: Record<string, unknown>) {
  const fields = submissionInput.parse(input);
  const stored = await env.DB.insert("submissions", { ...fields, notified: false });
  return deliver(env, stored, APP_TITLE);
}

app.get("/", (c) => c.html(page(APP_TITLE, "Send us a message and we will get back to you.", form())));

app.post("/submit", async (c) => {
  const input = await bodyOf(c);
  try {
    await submit(c.env, input);
  } catch (error) {
    if (error instanceof z.ZodError) return c.html(page(APP_TITLE, "Almost there.", form(error.issues.map((i) => i.message).join(" "), input)), 400);
    throw error;
  }
  return c.html(page(APP_TITLE, "Thank you! Your message was sent.", html`<p><a href="/">Send another</a></p>`));
});

app.post("/api/submissions", async (c) => {
  try {
    return c.json(await submit(c.env, await bodyOf(c)), 201);
  } catch (error) {
    if (error instanceof z.ZodError) return c.json({ error: error.issues.map((i) => i.message).join(" ") }, 400);
    throw error;
  }
});

app.get("/api/submissions", requireOwner(), async (c) => {
  const category = c.req.query("category");
  return c.json(await c.env.DB.list("submissions", { where: category ? { category } : {}, orderBy: "id", order: "desc", limit: 1000 }));
});

export default app;
