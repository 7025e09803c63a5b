// Automations on a real local Kiln (scripts/local-server.mjs: control plane and
// runner on workerd under the supervisor), with the loopback fakes of Stripe
// and Google behind demo connections. The revenue digest, made from its
// template in template mode, runs when the real `scheduled` handler fires at
// its slot; and the supervisor's own minute timer runs an every-minute job.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as localServer from "../../scripts/local-server.mjs";
import { startFakeUpstreams, type FakeUpstreams } from "../../connectors/testing/start-fakes.ts";
import { FAKE_STRIPE_SECRET_KEY } from "../../connectors/stripe/fake/credentials.ts";
import { GOOGLE_FAKE_ACCESS_TOKEN, GOOGLE_FAKE_REFRESH_TOKEN } from "../../connectors/google/fake/credentials.ts";
import { freePort, type Kiln, Owner, send, type TestApp, visit } from "../attacks/harness";

/** startKiln with the options this file needs (scripts/ is untyped JS; tests/attacks/harness.ts types the rest). */
const startKiln = localServer.startKiln as unknown as (options: {
  port: number;
  persistTo: string;
  logFile: string;
  demo: boolean;
  vars: Record<string, string>;
}) => Promise<Kiln>;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const logFile = path.join(root, "test-artifacts", "automations", "digest-schedule-kiln.log");

/** A run as `GET /api/apps/:id/runs` lists it (the fields this file reads). */
interface Run {
  id: string;
  automation: string;
  trigger: "cron" | "webhook" | "manual";
  scheduledAt: string | null;
  status: "queued" | "running" | "retrying" | "succeeded" | "failed" | "skipped";
  attempt: number;
  output: unknown;
  error: string | null;
}

/** What the digest automation returns (templates/revenue-digest/files/src/digest.ts). */
interface DigestResult {
  day: string;
  from: string;
  to: string;
  totals: { currency: string; payments: number; totalCents: number }[];
  invoices: { id: string; amount: number; currency: string }[];
  spreadsheetId: string;
}

let fakes: FakeUpstreams;
let kiln: Kiln;
let persistTo: string;
let owner: Owner;

// Kiln's own demo fakes would work too, but this file needs their addresses to
// pay an invoice and read the sheet, so it starts them and offers them as demo.
beforeAll(async () => {
  mkdirSync(path.dirname(logFile), { recursive: true });
  rmSync(logFile, { force: true });
  persistTo = mkdtempSync(path.join(tmpdir(), "kiln-automations-e2e-"));
  fakes = await startFakeUpstreams();
  kiln = await startKiln({
    port: await freePort(),
    persistTo,
    logFile,
    demo: false,
    vars: { ...fakes.vars, KILN_DEMO_CONNECTIONS: "1" },
  });
  owner = await Owner.signUp(kiln.port, "automations");
});

afterAll(async () => {
  await kiln?.stop();
  await fakes?.close();
  if (persistTo) rmSync(persistTo, { recursive: true, force: true });
});

/** A call to a fake's API or control endpoint; answers its JSON. */
async function fake<T>(
  base: string,
  method: string,
  urlPath: string,
  init: { token?: string; form?: Record<string, string> } = {},
): Promise<T> {
  const response = await fetch(`${base}${urlPath}`, {
    method,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    body: init.form ? new URLSearchParams(init.form) : undefined,
  });
  expect(response.status, `${method} ${urlPath}`).toBe(200);
  return (await response.json()) as T;
}

/** A buyer subscribes through Checkout and pays, so Stripe holds a paid invoice of `amount`; answers its id. */
async function paidInvoice(amount: number, currency: string): Promise<string> {
  const stripe = fakes.vars.STRIPE_API_BASE!;
  const key = { token: FAKE_STRIPE_SECRET_KEY };
  const price = await fake<{ id: string }>(stripe, "POST", "/v1/prices", {
    ...key,
    form: { currency, unit_amount: String(amount), "recurring[interval]": "month", "product_data[name]": "Plan" },
  });
  const session = await fake<{ id: string }>(stripe, "POST", "/v1/checkout/sessions", {
    ...key,
    form: {
      mode: "subscription",
      "line_items[0][price]": price.id,
      "line_items[0][quantity]": "1",
      success_url: "https://example.com/done",
      customer_email: "buyer@example.com",
    },
  });
  const paid = await fake<{ subscription: string }>(stripe, "POST", `/__fake/checkout/sessions/${session.id}/complete`);
  const subscription = await fake<{ latest_invoice: string }>(
    stripe,
    "GET",
    `/v1/subscriptions/${paid.subscription}`,
    key,
  );
  return subscription.latest_invoice;
}

/** The server-sent events of a chat turn, as [event, data] pairs. */
function turnEvents(text: string): [string, Record<string, unknown>][] {
  return text
    .split(/\n\n+/)
    .map((block) => [/^event: (.*)$/m.exec(block)?.[1] ?? "", /^data: (.*)$/m.exec(block)?.[1] ?? "null"] as const)
    .filter(([event]) => event !== "")
    .map(([event, data]) => [event, JSON.parse(data) as Record<string, unknown>]);
}

async function runsOf(app: TestApp): Promise<Run[]> {
  const answer = await owner.api("GET", `/api/apps/${app.id}/runs?limit=200`);
  expect(answer.status, answer.text).toBe(200);
  return (answer.json as { runs: Run[] }).runs;
}

/** Polls the app's runs until `pick` finds one that has ended; fails after `timeoutMs`. */
async function endedRun(app: TestApp, pick: (run: Run) => boolean, timeoutMs: number): Promise<Run> {
  const found = await owner.waitFor(
    async () => (await runsOf(app)).find((run) => pick(run) && ["succeeded", "failed", "skipped"].includes(run.status)),
    timeoutMs,
    500,
  );
  if (!found) throw new Error(`no ended run within ${timeoutMs} ms; runs: ${JSON.stringify(await runsOf(app))}`);
  return found;
}

describe("automations on a running Kiln", () => {
  it("runs the revenue digest made from its template when the scheduled handler fires at its slot", async () => {
    // Demo Stripe, and demo Google through the fake's OAuth consent and Kiln's callback.
    expect((await owner.api("PUT", "/api/connections/stripe", { demo: true })).status).toBe(201);
    const google = await owner.api("PUT", "/api/connections/google", { demo: true });
    expect(google.status, google.text).toBe(200);
    const consent = await fetch((google.json as { authorizationUrl: string }).authorizationUrl, { redirect: "manual" });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get("location")!);
    expect((await owner.api("GET", `${back.pathname}${back.search}`)).status).toBe(200);

    // No model is configured: the chat picks the digest template and deploys it to preview.
    const turn = await owner.api(
      "POST",
      "/api/apps",
      { prompt: "Every day, a digest of my Stripe revenue added to a Google Sheet" },
      90_000,
    );
    expect(turn.status, turn.text).toBe(200);
    const events = turnEvents(turn.text);
    const created = events.find(([event]) => event === "app")![1].app as { id: string; slug: string };
    const plan = events.find(([event]) => event === "plan")![1].text as string;
    expect(plan).toContain("Daily Stripe revenue digest to Google Sheets");
    const preview = events.find(([event]) => event === "preview");
    expect(preview, turn.text.slice(-2000)).toBeDefined();
    const app: TestApp = { id: created.id, slug: created.slug, version: preview![1].version as string };
    await owner.publish(app);

    const invoice = await paidInvoice(3100, "eur");
    const listed = await owner.api("GET", `/api/apps/${app.id}/automations`);
    const { automations } = listed.json as { automations: { nextFireTimes: string[] }[] };
    expect(automations).toEqual([
      expect.objectContaining({ name: "dailyDigest", cron: "0 8 * * *", timezone: "UTC", status: "ok" }),
    ]);
    const slot = automations[0].nextFireTimes[0];
    expect(slot).toMatch(/T08:00:00\.000Z$/);

    // The real scheduled handler (miniflare's trigger endpoint), with the slot's minute as scheduledTime.
    const fired = await send(kiln.port, {
      path: `/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${new Date(slot).getTime()}`,
    });
    expect(fired.status, fired.text).toBe(200);
    const run = await endedRun(app, (r) => r.trigger === "cron" && r.scheduledAt === slot, 30_000);
    expect(run, JSON.stringify(run)).toMatchObject({
      automation: "dailyDigest",
      status: "succeeded",
      attempt: 1,
      error: null,
    });
    const result = run.output as DigestResult;
    expect(result.to).toBe(slot);
    expect(result.invoices).toContainEqual({ id: invoice, amount: 3100, currency: "eur" });
    expect(result.totals).toEqual([{ currency: "eur", payments: 1, totalCents: 3100 }]);

    // Its effect: a row in the sheet at Google (the fake) and in the app's live data, shown on its page.
    const sheet = await fake<{ values: string[][] }>(
      fakes.vars.GOOGLE_API_BASE!,
      "GET",
      `/v4/spreadsheets/${result.spreadsheetId}/values/${encodeURIComponent("Digest!A:D")}`,
      {
        token: GOOGLE_FAKE_ACCESS_TOKEN,
      },
    );
    expect(sheet.values[0]).toEqual(["Day", "Currency", "Payments", "Total"]);
    // Sheets stores the typed-in numbers as numbers (USER_ENTERED), shown as formatted text.
    expect(
      sheet.values.slice(1).map(([day, currency, payments, total]) => [day, currency, Number(payments), Number(total)]),
    ).toEqual([[result.day, "EUR", 1, 31]]);
    const rows = await owner.api("GET", `/api/apps/${app.id}/data/digests?env=live&limit=50`);
    expect((rows.json as { rows: unknown[] }).rows).toEqual([
      expect.objectContaining({
        day: result.day,
        currency: "eur",
        payments: 1,
        total_cents: 3100,
        spreadsheet_id: result.spreadsheetId,
      }),
    ]);
    // The digest is its owner's (its code declares access "owner"): others are asked to sign in.
    expect((await visit(kiln.port, app, "live", "/")).status).toBe(401);
    const cookie = await owner.ownerCookie(app, "live");
    expect((await visit(kiln.port, app, "live", "/", { headers: { cookie } })).text).toContain(
      "<td>EUR</td><td>1</td><td>31.00</td>",
    );

    // The run's detail: the digest's log line and its calls through the egress proxy; no credential.
    const detail = await owner.api("GET", `/api/runs/${run.id}`);
    expect(detail.status).toBe(200);
    const { attempts } = detail.json as {
      attempts: { logs: { message: string }[]; egress: { host: string; status: number | null }[] }[];
    };
    const [attempt] = attempts;
    expect(attempt!.logs.map((line) => line.message)).toContainEqual(
      `revenue digest for ${result.day}: 1 paid invoices, 1 rows appended`,
    );
    expect(new Set(attempt!.egress.map((call) => `${call.host} ${call.status}`))).toEqual(
      new Set(["api.stripe.com 200", "sheets.googleapis.com 200"]),
    );
    for (const secret of [
      FAKE_STRIPE_SECRET_KEY,
      GOOGLE_FAKE_ACCESS_TOKEN,
      GOOGLE_FAKE_REFRESH_TOKEN,
      "ya29.",
      "Bearer ",
    ])
      expect(detail.text).not.toContain(secret);

    // The same slot fired again (as a second tick would see it) does not run again.
    expect(
      (
        await send(kiln.port, {
          path: `/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${new Date(slot).getTime() + 30_000}`,
        })
      ).status,
    ).toBe(200);
    expect((await runsOf(app)).filter((r) => r.scheduledAt === slot)).toHaveLength(1);
  });

  it("runs an every-minute automation from the supervisor's own minute timer", async () => {
    const app = await owner.createApp("minutely", {
      "src/index.ts": `import { defineTables, type AppEnv, type Automations } from "kiln";
export const tables = defineTables({ ticks: { slot: "text" } });
export const automations: Automations<typeof tables> = {
  minutely: { cron: "* * * * *", async run(run, env: AppEnv<typeof tables>) { await env.DB.insert("ticks", { slot: run.scheduledAt ?? "none" }); return { slot: run.scheduledAt }; } },
};
export default { fetch: () => new Response("ticks") };
`,
    });
    await owner.publish(app);
    const publishedAt = Date.now();
    // Nothing here fires the handler: only the supervisor's timer, a second after each minute.
    const run = await endedRun(app, (r) => r.trigger === "cron", 75_000);
    expect(run).toMatchObject({ automation: "minutely", status: "succeeded" });
    const slot = new Date(run.scheduledAt!).getTime();
    expect(slot % 60_000).toBe(0);
    expect(slot).toBeGreaterThan(publishedAt - 60_000);
    expect(run.output).toEqual({ slot: run.scheduledAt });
    const rows = await owner.api("GET", `/api/apps/${app.id}/data/ticks?env=live&limit=10`);
    expect((rows.json as { rows: { slot: string }[] }).rows.map((row) => row.slot)).toContain(run.scheduledAt);
    expect(readFileSync(logFile, "utf8")).not.toMatch(/minute tick .*failed/);
  });
});
