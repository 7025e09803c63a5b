// __APP_TITLE__: yesterday's Stripe revenue, per currency, appended to a Google Sheet.
// Kiln runs it every morning (the `automations` export below); POST /run runs it now.
// Page: GET / (past runs). API: POST /run, GET /api/digests. Revenue is the owner's
// business: the whole app is theirs (`access`), and running it stays theirs if they share it.
import { Hono } from "hono";
import { html } from "hono/html";
import { type Access, type AppEnv, type Automations, requireOwner, type Setup } from "kiln";
import { GoogleApiError } from "kiln/google";
import { StripeError } from "kiln/stripe";
import { runDigest } from "./digest";
import { page } from "./page";
import { tables } from "./tables";

export { tables, runDigest };

const APP_TITLE = "__APP_TITLE__";

/** The sheet the digest goes to: Kiln finds the owner's by name or makes it; left empty, the app makes its own once. */
export const setup = {
  SPREADSHEET_ID: {
    type: "google_sheet",
    label: "Google Sheet for the digest",
    title: "Stripe revenue digest",
    headers: ["Day", "Currency", "Payments", "Total"],
    optional: true,
  },
} satisfies Setup;

/** Only the owner sees the live digest, until they open it to others in the Access tab. */
export const access: Access = "owner";

type Env = AppEnv<typeof tables>;

/**
 * The daily digest: every day at 08:00 UTC, Kiln runs it for the 24 hours before
 * that time. Change `cron` and `timezone` (an IANA name, e.g. "Europe/Berlin") to move it.
 */
export const automations: Automations<typeof tables> = {
  dailyDigest: {
    cron: "0 8 * * *",
    timezone: "UTC",
    // The slot's time, not the clock: a retry or a late run still covers the same 24 hours;
    // the run's idempotencyKey keys its inserts, so a retry does not record them twice.
    run: async (run, env) => runDigest(env, run.scheduledAt ? new Date(run.scheduledAt) : new Date(), run.idempotencyKey),
  },
};

const app = new Hono<{ Bindings: Env }>();

app.onError((error, c) => {
  if (error instanceof StripeError) return c.json({ error: `Stripe: ${error.message}` }, 502);
  if (error instanceof GoogleApiError) return c.json({ error: `Google Sheets: ${error.message}` }, 502);
  console.error(error);
  return c.json({ error: error instanceof Error ? error.message : "Something went wrong." }, 500);
});

app.get("/", async (c) => {
  const digests = await c.env.DB.list("digests", { orderBy: "id", order: "desc", limit: 60 });
  const [sheet] = await c.env.DB.list("settings", { limit: 1 });
  const body = html`<section><h2>Recent days</h2>
${digests.length === 0
    ? html`<p class="empty">No digest yet. The first one runs at 08:00 UTC, or run one now with POST /run.</p>`
    : html`<table><thead><tr><th>Day</th><th>Currency</th><th>Payments</th><th>Total</th></tr></thead><tbody>
${digests.map((d) => html`<tr><td>${d.day}</td><td>${d.currency.toUpperCase()}</td><td>${d.payments}</td><td>${(d.total_cents / 100).toFixed(2)}</td></tr>`)}
</tbody></table>`}
${sheet ? html`<p><a href="${sheet.url}">Open the spreadsheet</a></p>` : ""}</section>`;
  return c.html(page(APP_TITLE, "Paid Stripe invoices of the last day, added to a Google Sheet.", body));
});

app.post("/run", requireOwner(), async (c) => {
  return c.json(await runDigest(c.env));
});

app.get("/api/digests", async (c) => c.json(await c.env.DB.list("digests", { orderBy: "id", order: "asc", limit: 1000 })));

export default app;
