// The revenue digest template, deployed through the real API: paid invoices read from
// the Stripe fake, rows appended to a spreadsheet at the Google fake, via the egress proxy;
// by hand (POST /run) and as the daily automation the minute tick starts once it is live.
import { describe, expect, it } from "vitest";
import { newUser, ownerCookie } from "../../worker/test/api-client";
import { FAKE_STRIPE_SECRET_KEY } from "../../connectors/stripe/fake/credentials";
import { GOOGLE_FAKE_ACCESS_TOKEN } from "../../connectors/google/fake/credentials";
import { askApp } from "../../worker/test/connector-app";
import { runsOf, settled, tickAt } from "../../worker/test/automations";
import { templateFiles } from "../../worker/src/templates";
import { connectGoogle, googleFake, ownerSpreadsheet } from "../../worker/test/template-google";
import { connectStripe, payCheckoutSession, stripeFake } from "../../worker/test/template-stripe";
import { deployFiles, pageText } from "../../worker/test/templates";

interface DigestResult {
  day: string;
  totals: { currency: string; payments: number; totalCents: number }[];
  invoices: { id: string; amount: number; currency: string }[];
  spreadsheetId: string;
}

/** A buyer subscribes through Checkout and pays: Stripe records a paid invoice. Returns its id. */
async function paidInvoice(amount: number, currency: string): Promise<string> {
  const price = await stripeFake<{ id: string }>("POST", "/v1/prices", {
    currency,
    unit_amount: String(amount),
    "recurring[interval]": "month",
    "product_data[name]": "Membership",
  });
  const session = await stripeFake<{ id: string }>("POST", "/v1/checkout/sessions", {
    mode: "subscription",
    "line_items[0][price]": price.id,
    "line_items[0][quantity]": "1",
    success_url: "https://example.com/done",
    customer_email: "member@example.com",
  });
  const paid = await payCheckoutSession(session.id);
  const subscription = await stripeFake<{ latest_invoice: string }>(
    "GET",
    `/v1/subscriptions/${String(paid.subscription)}`,
  );
  const invoice = await stripeFake<{ status: string; total: number }>(
    "GET",
    `/v1/invoices/${subscription.latest_invoice}`,
  );
  expect(invoice).toMatchObject({ status: "paid", total: amount });
  return subscription.latest_invoice;
}

describe("revenue-digest template", () => {
  it("totals the last day's paid invoices per currency and appends them to a spreadsheet it makes once", async () => {
    const user = await newUser();
    await connectStripe(user);
    await connectGoogle(user);
    const app = await deployFiles(user, "digest", templateFiles("revenue-digest"));
    const first = await paidInvoice(4900, "chf");
    const second = await paidInvoice(1500, "chf");

    const owner = { cookie: await ownerCookie(user, app.id, app.previewUrl) };
    const run = await askApp<DigestResult>(`${app.previewUrl}run`, { method: "POST", headers: owner });
    expect(run.status).toBe(200);
    const result = run.json;
    expect(result.invoices).toEqual(
      expect.arrayContaining([
        { id: first, amount: 4900, currency: "chf" },
        { id: second, amount: 1500, currency: "chf" },
      ]),
    );
    // Every total is the sum of the invoices counted (the shared fake holds other tests' invoices too).
    for (const line of result.totals) {
      const counted = result.invoices.filter((i) => i.currency === line.currency);
      expect(line).toEqual({
        currency: line.currency,
        payments: counted.length,
        totalCents: counted.reduce((sum, i) => sum + i.amount, 0),
      });
    }
    expect(result.totals.find((t) => t.currency === "chf")!.totalCents).toBeGreaterThanOrEqual(6400);

    const values = await googleFake<{ values: string[][] }>(
      "GET",
      `/v4/spreadsheets/${result.spreadsheetId}/values/${encodeURIComponent("Digest!A:D")}`,
    );
    expect(values.values[0]).toEqual(["Day", "Currency", "Payments", "Total"]);
    // Written as typed in (USER_ENTERED): Sheets stores numbers, shown here as formatted text.
    const rows = values.values
      .slice(1)
      .map(([day, currency, payments, total]) => [day, currency, Number(payments), Number(total)]);
    expect(rows).toEqual(
      result.totals.map((t) => [result.day, t.currency.toUpperCase(), t.payments, t.totalCents / 100]),
    );

    // A second run writes to the same spreadsheet, below the first.
    const again = (await askApp<DigestResult>(`${app.previewUrl}run`, { method: "POST", headers: owner })).json;
    expect(again.spreadsheetId).toBe(result.spreadsheetId);
    const after = await googleFake<{ values: string[][] }>(
      "GET",
      `/v4/spreadsheets/${result.spreadsheetId}/values/${encodeURIComponent("Digest!A:D")}`,
    );
    expect(after.values).toHaveLength(1 + result.totals.length + again.totals.length);

    const html = await pageText(app.previewUrl);
    expect(html).toContain("<h1>Revenue digest</h1>");
    expect(html).toContain("CHF");
    expect(html).toContain("Open the spreadsheet");
  });

  it("writes to the owner's spreadsheet found by name in Drive (SPREADSHEET_NAME), adding its Digest tab once", async () => {
    const user = await newUser();
    await connectStripe(user);
    await connectGoogle(user);
    const name = `Finance ${crypto.randomUUID()}`;
    const spreadsheetId = await ownerSpreadsheet(name, [{ title: "Notes", rows: [["keep me"]] }]);
    const app = await deployFiles(user, "digest", templateFiles("revenue-digest"), { SPREADSHEET_NAME: name });
    await paidInvoice(1200, "gbp");

    const owner = { cookie: await ownerCookie(user, app.id, app.previewUrl) };
    const first = (await askApp<DigestResult>(`${app.previewUrl}run`, { method: "POST", headers: owner })).json;
    expect(first.spreadsheetId).toBe(spreadsheetId);
    const second = (await askApp<DigestResult>(`${app.previewUrl}run`, { method: "POST", headers: owner })).json;
    expect(second.spreadsheetId).toBe(spreadsheetId);

    const spreadsheet = await googleFake<{
      properties: { title: string };
      sheets: { properties: { title: string } }[];
    }>("GET", `/v4/spreadsheets/${spreadsheetId}`);
    expect(spreadsheet.properties.title).toBe(name);
    expect(spreadsheet.sheets.map((sheet) => sheet.properties.title)).toEqual(["Notes", "Digest"]);
    const digest = await googleFake<{ values: string[][] }>(
      "GET",
      `/v4/spreadsheets/${spreadsheetId}/values/${encodeURIComponent("Digest!A:D")}`,
    );
    expect(digest.values[0]).toEqual(["Day", "Currency", "Payments", "Total"]);
    expect(digest.values).toHaveLength(1 + first.totals.length + second.totals.length);
    expect(digest.values.map((row) => row[1])).toContain("GBP");
    const notes = await googleFake<{ values: string[][] }>("GET", `/v4/spreadsheets/${spreadsheetId}/values/Notes`);
    expect(notes.values).toEqual([["keep me"]]);
  });

  it("runs by itself every morning at 08:00 UTC once published, through the minute tick", async () => {
    const user = await newUser();
    await connectStripe(user);
    await connectGoogle(user);
    const app = await deployFiles(user, "digest", templateFiles("revenue-digest"));
    const invoice = await paidInvoice(2500, "eur");
    // Declared in the preview, scheduled only once live.
    const before = (await user.call("GET", `/api/apps/${app.id}/automations`)).body;
    expect(before.automations).toEqual([]);
    expect(before.preview).toEqual([
      expect.objectContaining({ name: "dailyDigest", cron: "0 8 * * *", timezone: "UTC" }),
    ]);
    const previewVersion = (await user.call("GET", `/api/apps/${app.id}`)).body.previewVersion as string;
    expect((await user.call("POST", `/api/apps/${app.id}/publish`, { version: previewVersion })).status).toBe(200);

    const listed = (await user.call("GET", `/api/apps/${app.id}/automations`)).body.automations;
    expect(listed).toEqual([
      expect.objectContaining({ name: "dailyDigest", cron: "0 8 * * *", timezone: "UTC", status: "ok" }),
    ]);
    const slot = listed[0].nextFireTimes[0] as string;
    expect(slot).toMatch(/T08:00:00\.000Z$/);
    expect(new Date(slot).getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);

    // A tick a minute early starts nothing; the tick at the slot starts the digest.
    // (Ticks start every due automation in the shared test database, so only this app's runs are counted.)
    await tickAt(new Date(new Date(slot).getTime() - 60_000));
    expect(await runsOf(user, app.id)).toEqual([]);
    await tickAt(new Date(new Date(slot).getTime() + 1_000));
    const [run, ...others] = await settled(user, app.id, 30_000);
    expect(others).toEqual([]);
    expect(run).toMatchObject({
      automation: "dailyDigest",
      trigger: "cron",
      scheduledAt: slot,
      status: "succeeded",
      attempt: 1,
      error: null,
    });

    // The run covered the 24 hours before its slot (not the clock), and found the invoice paid just now.
    const result = run!.output as DigestResult & { from: string; to: string };
    expect(result.to).toBe(slot);
    expect(result.from).toBe(new Date(new Date(slot).getTime() - 86_400_000).toISOString());
    expect(result.invoices).toContainEqual({ id: invoice, amount: 2500, currency: "eur" });
    const values = await googleFake<{ values: string[][] }>(
      "GET",
      `/v4/spreadsheets/${result.spreadsheetId}/values/${encodeURIComponent("Digest!A:D")}`,
    );
    const eur = result.totals.find((t) => t.currency === "eur")!;
    // Sheets stores the typed-in numbers as numbers (USER_ENTERED), shown as formatted text.
    expect(
      values.values.map(([day, currency, payments, total]) => [day, currency, Number(payments), Number(total)]),
    ).toContainEqual([result.day, "EUR", eur.payments, eur.totalCents / 100]);
    expect((await user.call("GET", `/api/apps/${app.id}/data/digests?env=live&limit=50`)).body.rows).toContainEqual(
      expect.objectContaining({
        day: result.day,
        currency: "eur",
        total_cents: eur.totalCents,
        spreadsheet_id: result.spreadsheetId,
      }),
    );

    // The run's page shows its log line and its calls to Stripe and Google, and no credential.
    const detail = await user.call("GET", `/api/runs/${run!.id}`);
    expect(detail.status).toBe(200);
    const [attempt] = detail.body.attempts as {
      logs: { message: string }[];
      egress: { host: string; status: number | null }[];
    }[];
    expect(attempt!.logs.map((l) => l.message)).toContainEqual(
      expect.stringMatching(/^revenue digest for \d{4}-\d{2}-\d{2}: \d+ paid invoices/),
    );
    expect(new Set(attempt!.egress.map((e) => `${e.host} ${e.status}`))).toEqual(
      new Set(["api.stripe.com 200", "sheets.googleapis.com 200"]),
    );
    for (const secret of [FAKE_STRIPE_SECRET_KEY, GOOGLE_FAKE_ACCESS_TOKEN]) expect(detail.text).not.toContain(secret);

    // The same slot seen by a later tick does not run again.
    await tickAt(new Date(new Date(slot).getTime() + 30_000));
    expect(await settled(user, app.id)).toHaveLength(1);
  });

  it("is the owner's alone once published (its code asks for it), and a run needs the owner even when shared", async () => {
    const user = await newUser();
    const app = await deployFiles(user, "digest", templateFiles("revenue-digest"));
    expect((await askApp(`${app.previewUrl}run`, { method: "POST" })).status).toBe(401);
    const previewVersion = (await user.call("GET", `/api/apps/${app.id}`)).body.previewVersion as string;
    expect((await user.call("POST", `/api/apps/${app.id}/publish`, { version: previewVersion })).status).toBe(200);
    const liveUrl = (await user.call("GET", `/api/apps/${app.id}`)).body.liveUrl as string;
    expect((await askApp(liveUrl)).status).toBe(401);
    expect((await user.call("GET", `/api/apps/${app.id}/access`)).body.live).toMatchObject({
      rule: "owner",
      setBy: "app",
    });
    // Shared with signed-in visitors in the Access tab: they see the digest, but running it stays the owner's.
    await user.call("PUT", `/api/apps/${app.id}/access/live`, { rule: "public" });
    expect((await askApp(liveUrl)).status).toBe(200);
    expect((await askApp(`${liveUrl}run`, { method: "POST" })).status).toBe(401);
  });
});
