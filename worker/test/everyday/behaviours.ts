// The written behaviour of each everyday request (requests.ts), as code: the owner's world set up in the fakes
// before the app is built (their payments, sheets, bases, calendar), then the app used as its owner and visitors
// would, and the outcome read back from the fakes and the pages. Knows nothing of any particular answer's code.
import { env } from "cloudflare:test";
import { AIRTABLE_FAKE_TOKEN } from "../../../connectors/airtable/fake/credentials";
import type { TestUser } from "../api-client";
import { connectGoogle, googleFake, ownerSpreadsheet, sentEmails } from "../template-google";
import { connectStripe, stripeFake } from "../template-stripe";
import { type AppUnderTest, open, runAutomation, siteText, stripeEvent, submit, useForm } from "./app-under-test";
import { formsOf, textOf } from "./html-forms";

/** What a request's world holds, for its check and for the answers to the app's setup questions. */
export interface World {
  marker: string;
  /** Values the owner would give when asked (by what the question is about). */
  answers: [RegExp, string][];
  /** An Airtable base of the owner's, for tables Kiln makes or finds. */
  airtableBase?: string;
  [key: string]: unknown;
}

/** One request's behaviour: its world, then the check of the published app (throws saying what is wrong). */
export interface Behaviour {
  prepare(user: TestUser, marker: string): Promise<World>;
  check(app: AppUnderTest, world: World): Promise<void>;
}

const OWNER_EMAIL = "owner@example.com";
const DAY = 86_400;
const now = () => Math.floor(Date.now() / 1000);
/** Midnight UTC of the day `offset` days from today, in Unix seconds (the owner's zone is UTC in these tests). */
const dayStart = (offset: number) => Math.floor(Date.now() / 1000 / DAY) * DAY + offset * DAY;

function fail(message: string): never {
  throw new Error(message);
}

/** Money as pages and emails write it: 40, 40.00, 40,00 or 4,000.00 for cents 4000 or 400000. */
function money(cents: number): RegExp {
  const units = Math.floor(cents / 100);
  const rest = String(cents % 100).padStart(2, "0");
  const grouped = units.toLocaleString("en-US");
  return new RegExp(`(?<![\\d.,])(${grouped}|${units})([.,]${rest})${rest === "00" ? "?" : ""}(?![\\d])`);
}

async function seedPayments(
  payments: Record<string, unknown>[],
): Promise<{ checkout_session: string; payment_intent: string | null; charge: string; customer: string | null }[]> {
  const response = await fetch(`${env.STRIPE_API_BASE}/__fake/payments`, {
    method: "POST",
    body: JSON.stringify({ payments }),
  });
  if (response.status !== 200) fail(`seeding payments failed: ${await response.text()}`);
  return (
    (await response.json()) as {
      payments: { checkout_session: string; payment_intent: string | null; charge: string; customer: string | null }[];
    }
  ).payments;
}

/** The events Stripe sends for one completed Checkout payment, with the objects as the account holds them. */
async function paymentEvents(paid: {
  checkout_session: string;
  payment_intent: string | null;
  charge: string | null;
}): Promise<{ type: string; object: Record<string, unknown> }[]> {
  const get = (path: string) => stripeFake<Record<string, unknown>>("GET", path);
  return [
    { type: "charge.succeeded", object: await get(`/v1/charges/${paid.charge}`) },
    { type: "payment_intent.succeeded", object: await get(`/v1/payment_intents/${paid.payment_intent}`) },
    { type: "checkout.session.completed", object: await get(`/v1/checkout/sessions/${paid.checkout_session}`) },
  ];
}

async function connectAirtable(user: TestUser): Promise<void> {
  const put = await user.call("PUT", "/api/connections/airtable", { key: AIRTABLE_FAKE_TOKEN });
  if (put.status !== 201) fail(`connecting Airtable failed: ${put.text}`);
}

async function airtable<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${env.AIRTABLE_API_BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${AIRTABLE_FAKE_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

/** A base of the owner's with the given tables (name → fields: a name is a text field, or give its type and options). */
async function ownerBase(
  marker: string,
  tables: Record<string, (string | { name: string; type: string; options?: Record<string, unknown> })[]>,
): Promise<string> {
  const base = await airtable<{ id: string }>("POST", "/v0/meta/bases", {
    name: `Everyday ${marker}`,
    workspaceId: "wspKilnEveryday",
    tables: Object.entries(tables).map(([name, fields]) => ({
      name,
      fields: fields.map((field) =>
        typeof field === "string" ? { name: field, type: field === "Email" ? "email" : "singleLineText" } : field,
      ),
    })),
  });
  return base.id;
}

async function tableRecords(baseId: string, table: string): Promise<Record<string, unknown>[] | null> {
  const answer = await airtable<{ records?: { fields: Record<string, unknown> }[] }>(
    "GET",
    `/v0/${baseId}/${encodeURIComponent(table)}`,
  );
  return answer.records?.map((r) => r.fields) ?? null;
}

async function mailsTo(address: string): Promise<{ subject: string; text: string }[]> {
  const sent = (await sentEmails()) as unknown as {
    to: { address: string }[];
    subject: string;
    text?: string;
    html?: string;
  }[];
  return sent
    .filter((m) => m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()))
    .map((m) => ({ subject: m.subject, text: `${m.subject}\n${m.text ?? ""}\n${textOf(m.html ?? "")}` }));
}

const plainAnswers: [RegExp, string][] = [
  [/e-?mail|address/i, OWNER_EMAIL],
  [/time ?zone/i, "UTC"],
];

export const behaviours: Record<string, Behaviour> = {
  "daily-revenue": {
    async prepare(user) {
      await connectStripe(user);
      await connectGoogle(user);
      await seedPayments([
        { amount: 1500, created: dayStart(-1) + 10 * 3600, email: "a@example.com" },
        { amount: 2500, created: dayStart(-1) + 15 * 3600, email: "b@example.com" },
        { amount: 999, created: dayStart(-2) + 12 * 3600, email: "c@example.com" },
        // Today's first sale: a minute ago, or just after midnight if the day is younger than that.
        { amount: 700, created: Math.max(dayStart(0) + 1, now() - 60), email: "d@example.com" },
      ]);
      return { marker: "", answers: plainAnswers };
    },
    async check(app) {
      const run = await runAutomation(app, /morning|daily|digest|revenue|report/i);
      if (run.status !== "succeeded") fail(`the morning job failed: ${run.error}`);
      // Yesterday's and today's takings in dollars as Stripe holds them, every page (the fake is shared: other tests
      // pay too, some in other currencies, which an app rightly totals apart).
      const takings = async (from: number, to: number) => {
        // Gross, and net of what was refunded since: either is "what came in".
        const total = { gross: 0, net: 0 };
        let after = "";
        for (;;) {
          const page = await stripeFake<{
            data: { id: string; amount: number; amount_refunded: number; status: string; currency: string }[];
            has_more: boolean;
          }>("GET", `/v1/charges?limit=100&created[gte]=${from}&created[lt]=${to}${after}`);
          for (const c of page.data) {
            if (c.status !== "succeeded" || c.currency !== "usd") continue;
            total.gross += c.amount;
            total.net += c.amount - c.amount_refunded;
          }
          if (!page.has_more || page.data.length === 0) return total;
          after = `&starting_after=${page.data.at(-1)!.id}`;
        }
      };
      const shows = (text: string, cents: { gross: number; net: number }) =>
        money(cents.gross).test(text) || money(cents.net).test(text);
      const yesterday = await takings(dayStart(-1), dayStart(0));
      if (yesterday.gross < 4000)
        fail(`the fake holds ${yesterday.gross} cents of yesterday's takings, fewer than seeded`);
      const mails = await mailsTo(OWNER_EMAIL);
      if (!mails.some((m) => shows(m.text, yesterday)))
        fail(
          `no email to ${OWNER_EMAIL} says yesterday's ${(yesterday.gross / 100).toFixed(2)} (got: ${mails.map((m) => m.subject).join(" | ")})`,
        );
      const today = await takings(dayStart(0), dayStart(1));
      if (!shows(await siteText(app), today))
        fail(`no page shows today's ${(today.gross / 100).toFixed(2)} in dollars`);
    },
  },

  "refund-desk": {
    async prepare(user, marker) {
      await connectStripe(user);
      const email = `refund-${marker}@example.com`;
      const customer = await stripeFake<{ id: string }>("POST", "/v1/customers", { email, name: "Rita Refund" });
      const paid = await seedPayments([
        { amount: 1200, created: now() - 3 * DAY, customer: customer.id },
        { amount: 3000, created: now() - DAY, customer: customer.id },
      ]);
      return { marker, answers: plainAnswers, email, charges: paid.map((p) => p.charge) };
    },
    async check(app, world) {
      const email = world.email as string;
      const found = await useForm(app, "/", [/e-?mail/i], [[/e-?mail|customer|search|q\b/i, email]]);
      const text = textOf(found.html);
      if (!money(1200).test(text) || !money(3000).test(text))
        fail(`searching ${email} does not list 12.00 and 30.00 (status ${found.status})`);
      // A refund button: a form that goes to a refund action or says "refund" (not the search box holding the email).
      const form = formsOf(found.html).find((f) => /refund/i.test(f.action) || /refund/i.test(f.text));
      if (!form) fail("the search result has no refund button");
      await submit(app, found, form, [[/amount/i, ""]]);
      const charges = await Promise.all(
        (world.charges as string[]).map((id) => stripeFake<{ amount_refunded: number }>("GET", `/v1/charges/${id}`)),
      );
      if (!charges.some((c) => c.amount_refunded > 0)) fail("pressing refund refunded nothing in Stripe");
      const stranger = await open(app, `/?email=${encodeURIComponent(email)}`, "stranger");
      if (stranger.status === 200 && money(3000).test(textOf(stranger.html)))
        fail("a stranger sees the customer's payments");
    },
  },

  "guide-buyers": {
    async prepare(user, marker) {
      await connectStripe(user);
      const price = await stripeFake<{ id: string }>("POST", "/v1/prices", {
        currency: "usd",
        unit_amount: "1900",
        "product_data[name]": `PDF guide ${marker}`,
      });
      const link = await stripeFake<{ id: string; url: string }>("POST", "/v1/payment_links", {
        "line_items[0][price]": price.id,
        "line_items[0][quantity]": "1",
      });
      const buyers = [`ann-${marker}@example.com`, `ben-${marker}@example.com`];
      await seedPayments([
        { payment_link: link.id, created: now() - 5 * DAY, email: buyers[0] },
        { payment_link: link.id, created: now() - 2 * DAY, email: buyers[1] },
        { amount: 5000, created: now() - DAY, email: `other-${marker}@example.com` },
      ]);
      return {
        marker,
        buyers,
        answers: [[/link.*\bid\b|\bid\b.*link|plink/i, link.id], [/link|url|address/i, link.url], ...plainAnswers],
      };
    },
    async check(app, world) {
      // A page may offer to bring in past sales first ("Import", "Sync", "Refresh"): a person presses it.
      await useForm(app, "/", [/import|sync|refresh|load|fetch/i], []).catch(() => null);
      const text = await siteText(app);
      for (const buyer of world.buyers as string[]) if (!text.includes(buyer)) fail(`no page lists the buyer ${buyer}`);
      if (text.includes(`other-${world.marker}@example.com`))
        fail("the buyers list has a payment not made through the link");
      if ((await siteText(app, "stranger")).includes((world.buyers as string[])[0]!))
        fail("a stranger sees the buyers");
    },
  },

  "expenses-sheet": {
    async prepare(user) {
      await connectGoogle(user);
      const spreadsheetId = await ownerSpreadsheet("Expenses 2026", [
        { title: "Sheet1", rows: [["Date", "Amount", "Category", "Note"]] },
      ]);
      return { marker: "", spreadsheetId, answers: [[/sheet|spreadsheet/i, spreadsheetId], ...plainAnswers] };
    },
    async check(app, world) {
      const note = `Lunch ${crypto.randomUUID().slice(0, 6)}`;
      await useForm(
        app,
        "/",
        [/amount/i],
        [
          [/amount/i, "12.5"],
          [/categor/i, "Food"],
          [/note|description|memo/i, note],
        ],
      );
      const values = await googleFake<{ values?: string[][] }>(
        "GET",
        `/v4/spreadsheets/${world.spreadsheetId as string}/values/A1:Z200`,
      );
      const row = (values.values ?? []).find((r) => r.some((cell) => String(cell).includes(note)));
      if (!row) fail("no row with the expense's note in 'Expenses 2026'");
      if (!row.some((cell) => /12[.,]5/.test(String(cell))) || !row.some((cell) => /food/i.test(String(cell))))
        fail(`the row is missing the amount or category: ${JSON.stringify(row)}`);
    },
  },

  "leads-airtable": {
    async prepare(user, marker) {
      await connectAirtable(user);
      const airtableBase = await ownerBase(marker, { Other: ["Name"] });
      return { marker, airtableBase, answers: [[/base/i, airtableBase], [/table/i, "Leads"], ...plainAnswers] };
    },
    async check(app, world) {
      const email = `lead-${world.marker}@example.com`;
      await useForm(
        app,
        "/",
        [/message/i],
        [
          [/name/i, "Lena Lead"],
          [/e-?mail/i, email],
          [/message/i, "Please call me back."],
        ],
        "stranger",
      );
      const records = await tableRecords(world.airtableBase as string, "Leads");
      if (records === null) fail("there is no Leads table in the owner's base");
      if (!records.some((r) => Object.values(r).includes(email))) fail("the lead is not in the Leads table");
    },
  },

  "bakery-hours": {
    async prepare() {
      return { marker: "", answers: [[/time ?zone/i, "Europe/Berlin"], ...plainAnswers] };
    },
    async check(app) {
      const parts = new Intl.DateTimeFormat("en-GB", {
        timeZone: "Europe/Berlin",
        weekday: "short",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).formatToParts(new Date());
      const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
      const minutes = Number(part("hour")) * 60 + Number(part("minute"));
      const day = part("weekday");
      const isOpen =
        (["Mon", "Tue", "Wed", "Thu", "Fri"].includes(day) && minutes >= 420 && minutes < 1080) ||
        (day === "Sat" && minutes >= 480 && minutes < 840);
      const text = textOf((await open(app, "/", "stranger")).html);
      const saysOpen = /\b(open now|we(?:'|’| a)re open|currently open|is open|open right now)\b/i.test(text);
      const saysClosed = /\b(closed now|we(?:'|’| a)re closed|currently closed|is closed|closed right now)\b/i.test(
        text,
      );
      if (isOpen && (!saysOpen || saysClosed))
        fail(`it is ${day} ${part("hour")}:${part("minute")} in Berlin (open) but the page says closed`);
      if (!isOpen && (!saysClosed || saysOpen))
        fail(`it is ${day} ${part("hour")}:${part("minute")} in Berlin (closed) but the page says open`);
    },
  },

  "appointment-reminders": {
    async prepare(user, marker) {
      await connectGoogle(user);
      const at = (offsetDays: number, hour: number) =>
        new Date((dayStart(offsetDays) + hour * 3600) * 1000).toISOString();
      const event = (who: string, offsetDays: number, hour: number) =>
        googleFake("POST", "/calendar/v3/calendars/primary/events", {
          summary: `Appointment ${marker}`,
          start: { dateTime: at(offsetDays, hour) },
          end: { dateTime: at(offsetDays, hour + 1) },
          attendees: [{ email: who }],
        });
      const people = {
        tomorrow: `ann-${marker}@example.com`,
        today: `bob-${marker}@example.com`,
        later: `cleo-${marker}@example.com`,
      };
      await event(people.tomorrow, 1, 10);
      await event(people.today, 0, 23);
      await event(people.later, 2, 10);
      return { marker, people, answers: [[/calendar/i, "primary"], ...plainAnswers] };
    },
    async check(app, world) {
      const people = world.people as Record<string, string>;
      const run = await runAutomation(app, /remind|evening|daily/i);
      if (run.status !== "succeeded") fail(`the evening job failed: ${run.error}`);
      const mails = await mailsTo(people.tomorrow!);
      if (mails.length !== 1) fail(`tomorrow's attendee got ${mails.length} reminders, not 1`);
      if (!/\b10[:.]00\b|\b10 ?am\b/i.test(mails[0]!.text)) fail("the reminder does not say the time (10:00)");
      if ((await mailsTo(people.today!)).length + (await mailsTo(people.later!)).length > 0)
        fail("people with appointments on other days got reminders");
    },
  },

  "failed-payments": {
    async prepare(user, marker) {
      await connectStripe(user);
      await connectGoogle(user);
      const email = `late-${marker}@example.com`;
      const customer = await stripeFake<{ id: string }>("POST", "/v1/customers", { email, name: "Lee Late" });
      return { marker, email, customer: customer.id, answers: plainAnswers };
    },
    async check(app, world) {
      const email = world.email as string;
      const delivered = await stripeEvent(app, "invoice.payment_failed", {
        id: `in_${world.marker}`,
        object: "invoice",
        status: "open",
        customer: world.customer,
        customer_email: email,
        customer_name: "Lee Late",
        amount_due: 1500,
        currency: "usd",
        attempt_count: 1,
        hosted_invoice_url: "https://invoice.stripe.com/i/test",
        // A subscriber's renewal, as the pinned API version shapes it (the subscription under `parent`).
        billing_reason: "subscription_cycle",
        parent: { type: "subscription_details", subscription_details: { subscription: `sub_${world.marker}` } },
      });
      if (delivered.status !== 200) fail(`the app failed on the event: ${JSON.stringify(delivered.body)}`);
      if ((await mailsTo(email)).length === 0) fail("the subscriber got no email");
      if (!(await siteText(app)).includes(email)) fail("no page of the owner's shows the subscriber who is behind");
      if ((await siteText(app, "stranger")).includes(email)) fail("a stranger sees who is behind");
    },
  },

  "low-stock": {
    async prepare(user) {
      await connectGoogle(user);
      return { marker: "", answers: plainAnswers };
    },
    async check(app) {
      for (const [item, quantity] of [
        ["Flour", "3"],
        ["Sugar", "12"],
        ["Eggs", "4"],
      ] as const)
        await useForm(
          app,
          "/",
          [/quantity|qty|stock|count/i],
          [
            [/name|item|product|title/i, item],
            [/quantity|qty|stock|count/i, quantity],
          ],
        );
      const run = await runAutomation(app, /monday|weekly|low|stock|report/i);
      if (run.status !== "succeeded") fail(`the Monday job failed: ${run.error}`);
      const mail = (await mailsTo(OWNER_EMAIL)).find((m) => /flour/i.test(m.text));
      if (!mail) fail(`no email to ${OWNER_EMAIL} lists Flour`);
      if (!/eggs/i.test(mail.text) || /sugar/i.test(mail.text)) fail("the email should list Flour and Eggs, not Sugar");
    },
  },

  "dinner-rsvp": {
    async prepare() {
      return { marker: "", answers: plainAnswers };
    },
    async check(app) {
      const seats = async () => {
        const text = textOf((await open(app, "/", "stranger")).html);
        return [
          ...text.matchAll(
            /(\d+)\s*(?:of \d+\s*)?(?:seats?|spots?|places?)\s*(?:left|remaining|available)|(?:left|remaining|available)\s*:?\s*(\d+)/gi,
          ),
        ].map((m) => Number(m[1] ?? m[2]));
      };
      if (!(await seats()).includes(40)) fail("the page does not show 40 seats left");
      await useForm(
        app,
        "/",
        [/name/i],
        [
          [/name/i, "Ann"],
          [/guest|people|party|how many|count|bringing|seats?/i, "3"],
        ],
        "stranger",
      );
      const after = await seats();
      if (!after.includes(37) && !after.includes(36))
        fail(`after an RSVP for 3 the page shows ${after.join(", ") || "no seats left count"}`);
      await useForm(
        app,
        "/",
        [/name/i],
        [
          [/name/i, "Too Many"],
          [/guest|people|party|how many|count|bringing|seats?/i, "40"],
        ],
        "stranger",
      );
      const unchanged = await seats();
      if (!unchanged.some((n) => after.includes(n))) fail("an RSVP that does not fit changed the seats left");
    },
  },

  "paying-customers": {
    async prepare(user, marker) {
      await connectStripe(user);
      await connectAirtable(user);
      const airtableBase = await ownerBase(marker, {
        Customers: ["Email", "Name", { name: "Total Spent", type: "currency", options: { precision: 2, symbol: "$" } }],
      });
      return { marker, airtableBase, answers: [[/base/i, airtableBase], [/table/i, "Customers"], ...plainAnswers] };
    },
    async check(app, world) {
      const email = `payer-${world.marker}@example.com`;
      // A real payment, and every event Stripe sends an endpoint for it: the app may listen to any of them.
      for (const amount of [1000, 2500]) {
        const [paid] = await seedPayments([{ amount, created: now() - 60, email }]);
        for (const event of await paymentEvents(paid!)) {
          const delivered = await stripeEvent(app, event.type, event.object);
          if (delivered.status !== 200) fail(`the app failed on ${event.type}: ${JSON.stringify(delivered.body)}`);
        }
      }
      const records = (await tableRecords(world.airtableBase as string, "Customers")) ?? [];
      const mine = records.filter((r) => Object.values(r).includes(email));
      if (mine.length !== 1) fail(`${mine.length} Customers records for the payer, not 1`);
      const totals = Object.values(mine[0]!).map((v) => String(v));
      if (!totals.some((v) => /^(35|35\.0+|3500)$/.test(v)))
        fail(`the record's total is not 35.00: ${JSON.stringify(mine[0])}`);
    },
  },

  "quick-invoice": {
    async prepare(user) {
      await connectStripe(user);
      return { marker: "", answers: plainAnswers };
    },
    async check(app) {
      const email = `client-${crypto.randomUUID().slice(0, 8)}@example.com`;
      await useForm(
        app,
        "/",
        [/amount/i],
        [
          [/e-?mail/i, email],
          [/descr|work|what|item|service/i, "Logo design"],
          [/amount|price|total/i, "450"],
        ],
      );
      const customers = await stripeFake<{ data: { id: string }[] }>(
        "GET",
        `/v1/customers?email=${encodeURIComponent(email)}`,
      );
      if (customers.data.length === 0) fail("no Stripe customer with the client's email");
      const invoices = await stripeFake<{
        data: { status: string; total: number; lines: { data: { description: string | null }[] } }[];
      }>("GET", `/v1/invoices?customer=${customers.data[0]!.id}`);
      const invoice = invoices.data.find((i) => i.status === "open" || i.status === "paid");
      if (!invoice)
        fail(`no finalized invoice for the client (statuses: ${invoices.data.map((i) => i.status).join(", ")})`);
      if (invoice.total !== 45000) fail(`the invoice totals ${invoice.total / 100}, not 450.00`);
      if (!invoice.lines.data.some((l) => /logo design/i.test(l.description ?? "")))
        fail("the invoice line does not say Logo design");
    },
  },
};
