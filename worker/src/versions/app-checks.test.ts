import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { REQUEST_ID_HEADER } from "../core/headers";
import { type AppCheck, checkRequest } from "./app-checks";

// A todo app whose own checks create a row and read it back; `broken` makes the list forget it.
function todoApp(broken: boolean, checks = DEFAULT_CHECKS): Record<string, string> {
  return {
    "src/index.ts": `import { Hono } from "hono";
import { defineTables, type AppEnv } from "kiln";

export const tables = defineTables({ todos: { title: "text" } });

export const checks = ${checks};

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", (c) => c.text("todos"));
app.post("/todos", async (c) => c.json(await c.env.DB.insert("todos", await c.req.json<{ title: string }>()), 201));
app.get("/todos", async (c) => c.json(${broken ? "[]" : 'await c.env.DB.list("todos")'}));
export default app;
`,
  };
}

const DEFAULT_CHECKS = `[
  { name: "adds a todo", method: "POST", path: "/todos", body: { title: "buy milk" }, status: 201 },
  { name: "lists the todo just added", path: "/todos", contains: "buy milk" },
]`;

describe("checks an app declares", () => {
  it("send each request with an id of its own, so no build's checks use up another's outbound budget", () => {
    const home: AppCheck = { name: "home", method: "GET", path: "/" };
    const ids = [0, 1, 2].map((index) => checkRequest("http://app.test/", home, index).headers.get(REQUEST_ID_HEADER));
    expect(ids.every((id) => /^req_[0-9a-f]+$/.test(id ?? ""))).toBe(true);
    expect(new Set(ids).size).toBe(3);
  });

  it("run before deployment against a scratch database, in order", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "checked todos", todoApp(false));
    expect((await visit(app.previewUrl)).text).toBe("todos");
    // The checks' row went to the scratch database, not to preview.
    expect((await visit(`${app.previewUrl}todos`)).text).toBe("[]");
  });

  it("stop a version whose check fails, say which and why, and keep the last good version serving", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "checked todos", todoApp(false));
    const broken = await user.call("PUT", `/api/apps/${app.id}/source`, { files: todoApp(true) });
    expect(broken.status).toBe(422);
    expect(broken.body.stage).toBe("checks");
    expect(broken.body.error.message).toBe("1 of the app's 2 checks failed.");
    expect(broken.body.diagnostics[0].message).toContain(
      `"lists the todo just added": GET /todos did not contain "buy milk"`,
    );
    expect((await user.call("GET", `/api/apps/${app.id}`)).body.previewVersion).toBe(app.version);
  });

  it("refuse a malformed checks export with what is wrong", async () => {
    const user = await newUser();
    const created = await user.call("POST", "/api/apps", { name: "bad checks" });
    const upload = await user.call("PUT", `/api/apps/${created.body.id}/source`, {
      files: todoApp(false, `[{ name: "no path" }]`),
    });
    expect(upload.status).toBe(422);
    expect(upload.body.diagnostics[0].message).toContain(`needs a path starting with "/"`);
  });

  it("post forms, assert JSON values, fire automations and Stripe events, and read the setup's defaults as CONFIG", async () => {
    const user = await newUser();
    const files = (checks: string) => ({
      "src/index.ts": `import { Hono } from "hono";
import { defineTables, type AppEnv, type Automations, type Setup } from "kiln";

export const tables = defineTables({ orders: { email: "text", paid: "boolean" } });
export const setup = { CURRENCY: { type: "text", label: "Currency", default: "eur" } } satisfies Setup;

export const automations: Automations<typeof tables> = {
  tally: { cron: "0 8 * * *", run: async (run, env) => ({ orders: await env.DB.count("orders"), day: (run.input as { day?: string } | null)?.day ?? null }) },
};

export async function onStripeEvent(event: { type: string; data: { object: { [k: string]: unknown } } }, env: AppEnv<typeof tables>) {
  if (event.type === "checkout.session.completed")
    await env.DB.insert("orders", { email: String((event.data.object.customer_details as { email: string }).email), paid: true });
}

export const checks = ${checks};

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", (c) => c.text("shop"));
app.post("/orders", async (c) => {
  const form = await c.req.parseBody();
  await c.env.DB.insert("orders", { email: String(form.email), paid: false });
  return c.redirect("/orders", 303);
});
app.get("/orders", async (c) => c.json({ currency: c.env.CONFIG.CURRENCY, items: await c.env.DB.list("orders", { orderBy: "id" }) }));
export default app;
`,
    });
    const passing = `[
  { name: "a form post redirects", method: "POST", path: "/orders", form: { email: "a@example.com" }, status: 303 },
  { name: "a paid checkout is recorded", trigger: { stripe: "checkout.session.completed", object: { customer_details: { email: "b@example.com" } } } },
  { name: "the list has both, in the default currency", path: "/orders", json: { currency: "eur", "items.length": 2, "items.1.email": "b@example.com", "items.1.paid": true } },
  { name: "the morning tally counts them", trigger: { automation: "tally", input: { day: "2026-12-07" } }, json: { orders: 2, day: "2026-12-07" } },
]`;
    const app = await appWithSource(user, "checked shop", files(passing));
    expect((await visit(app.previewUrl)).text).toBe("shop");

    const failing = passing.replace('"items.length": 2', '"items.length": 3').replace("orders: 2,", "orders: 5,");
    const refused = await user.call("PUT", `/api/apps/${app.id}/source`, { files: files(failing) });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toBe("2 of the app's 4 checks failed.");
    const problems = (refused.body.diagnostics as { message: string }[]).map((d) => d.message).join("\n");
    expect(problems).toContain(
      '"the list has both, in the default currency": GET /orders had items.length = 2, expected 3',
    );
    expect(problems).toContain('"the morning tally counts them": running automation tally had orders = 2, expected 5');

    const missing = passing.replace('automation: "tally"', 'automation: "nightly"');
    const unknown = await user.call("PUT", `/api/apps/${app.id}/source`, { files: files(missing) });
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.body.diagnostics)).toContain("running automation nightly failed");
  });
});
