// __APP_TITLE__: a booking page on the owner's Google Calendar with a Stripe deposit.
// Page: GET /?day=YYYY-MM-DD (free slots), POST /book (form → Stripe), GET /booked/:id.
// API: GET /api/slots?day=, POST /api/bookings, GET /api/bookings/:id.
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import type { AppEnv, Setup } from "kiln";
import { GoogleApiError } from "kiln/google";
import { StripeError, type StripeEvent } from "kiln/stripe";
import { z } from "zod";
import { confirmFromEvent, requestBooking, SlotTakenError } from "./book";
import { page } from "./page";
import { BadDayError, freeSlots } from "./slots";
import { tables } from "./tables";

export { tables };

/** What the owner sets in Kiln's Setup tab (each has a default, so the page works at once). */
export const setup = {
  DEPOSIT_CENTS: { type: "number", label: "Deposit, in cents", default: "2000" },
  CURRENCY: { type: "text", label: "Deposit currency (usd, eur, …)", default: "usd" },
  DAY_START: { type: "number", label: "First bookable hour (UTC, 0–23)", default: "9" },
  DAY_END: { type: "number", label: "Hour the day ends (UTC, 1–24)", default: "17" },
  SLOT_MINUTES: { type: "number", label: "Minutes per slot", default: "60" },
} satisfies Setup;

const APP_TITLE = "__APP_TITLE__";

type Env = AppEnv<typeof tables>;
const app = new Hono<{ Bindings: Env }>();

const bookingInput = z.object({
  start: z.string().min(1, "Pick a time."),
  name: z.string().trim().min(1, "Please give your name.").max(200),
  email: z.email("Please give an email address."),
});

app.onError((error, c) => {
  if (error instanceof z.ZodError) return c.json({ error: error.issues.map((i) => i.message).join(" ") }, 400);
  if (error instanceof BadDayError) return c.json({ error: error.message }, 400);
  if (error instanceof SlotTakenError) return c.json({ error: error.message }, 409);
  if (error instanceof GoogleApiError) return c.json({ error: `Google Calendar: ${error.message}` }, 502);
  if (error instanceof StripeError) return c.json({ error: `Stripe: ${error.message}` }, 502);
  console.error(error);
  return c.json({ error: error instanceof Error ? error.message : "Something went wrong." }, 500);
});

function tomorrow(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

async function bodyOf(c: Context): Promise<Record<string, unknown>> {
  if ((c.req.header("content-type") ?? "").includes("application/json")) return c.req.json<Record<string, unknown>>();
  return Object.fromEntries((await c.req.formData()).entries()) as Record<string, unknown>;
}

app.get("/", async (c) => {
  const day = c.req.query("day") ?? tomorrow();
  let slots: Awaited<ReturnType<typeof freeSlots>>;
  try {
    slots = await freeSlots(c.env, day);
  } catch (error) {
    // The page still answers (and Kiln's smoke start passes) before the owner connects Google.
    console.warn(`slots of ${day} unavailable: ${error instanceof Error ? error.message : String(error)}`);
    const reason = error instanceof BadDayError ? error.message : "Booking is not available right now; please try again later.";
    return c.html(page(APP_TITLE, reason, html`<p><a href="/">Back to today's times</a></p>`));
  }
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const body = html`<section><h2>Free times on ${day} (UTC)</h2>
${slots.length === 0
    ? html`<p class="empty">No free times this day.</p>`
    : html`<form method="post" action="/book">${slots.map((s, i) => html`<label><input type="radio" name="start" value="${s.start}" ${i === 0 ? "checked" : ""}> ${s.start.slice(11, 16)}–${s.end.slice(11, 16)}</label>`)}
<label for="name">Your name</label><input id="name" type="text" name="name" required>
<label for="email">Your email</label><input id="email" type="email" name="email" required>
<button type="submit">Book and pay the deposit</button></form>`}
<p><a href="/?day=${next}">Next day →</a></p></section>`;
  return c.html(page(APP_TITLE, "Pick a time that suits you. A deposit holds your booking.", body));
});

app.get("/api/slots", async (c) => c.json({ day: c.req.query("day") ?? tomorrow(), slots: await freeSlots(c.env, c.req.query("day") ?? tomorrow()) }));

app.post("/api/bookings", async (c) => {
  const result = await requestBooking(c.env, bookingInput.parse(await bodyOf(c)), APP_TITLE, new URL(c.req.url).origin);
  return c.json(result, 201);
});

app.post("/book", async (c) => {
  const { checkoutUrl } = await requestBooking(c.env, bookingInput.parse(await bodyOf(c)), APP_TITLE, new URL(c.req.url).origin);
  return c.redirect(checkoutUrl, 303);
});

app.get("/api/bookings/:id", async (c) => {
  const booking = await c.env.DB.get("bookings", Number(c.req.param("id")));
  return booking === null ? c.json({ error: "No such booking." }, 404) : c.json({ id: booking.id, start: booking.start, end: booking.end, status: booking.status });
});

app.get("/booked/:id", async (c) => {
  const booking = await c.env.DB.get("bookings", Number(c.req.param("id")));
  if (booking === null) return c.html(page(APP_TITLE, "We could not find that booking.", html`<p><a href="/">Back</a></p>`), 404);
  const when = `${booking.start.slice(0, 16).replace("T", " ")} UTC`;
  const lead = booking.status === "confirmed" ? `You are booked for ${when}. See you then!` : `Your booking for ${when} is held; it is confirmed as soon as the deposit arrives.`;
  return c.html(page(APP_TITLE, lead, html`<p><a href="/">Back</a></p>`));
});

/** Kiln hands this Stripe's verified events: a paid deposit confirms its booking. */
export async function onStripeEvent(event: StripeEvent, env: Env): Promise<void> {
  await confirmFromEvent(env, event, APP_TITLE);
}

export default app;
