// Taking a booking: hold the slot on the calendar, then ask for the deposit on Stripe's
// checkout page; Stripe's checkout.session.completed event confirms it.
import type { AppEnv, Row } from "kiln";
import { google } from "kiln/google";
import { stripe, type StripeEvent } from "kiln/stripe";
import { freeSlots, type Slot } from "./slots";
import type { tables } from "./tables";

type Env = AppEnv<typeof tables>;
type Booking = Row<(typeof tables)["bookings"]>;

/** The slot asked for is taken or not offered. */
export class SlotTakenError extends Error {
  readonly name = "SlotTakenError";
}

/** The deposit in the smallest currency unit (CONFIG.DEPOSIT_CENTS, default 2000) and its currency (CONFIG.CURRENCY, default usd). */
function deposit(env: Env): { amount: number; currency: string } {
  const amount = Number(env.CONFIG.DEPOSIT_CENTS ?? 2000);
  return { amount: Number.isInteger(amount) && amount >= 50 ? amount : 2000, currency: (env.CONFIG.CURRENCY ?? "usd").toLowerCase() };
}

/** Holds `start`'s slot for the visitor and opens the deposit checkout; returns the booking and where to pay. */
export async function requestBooking(env: Env, input: { start: string; name: string; email: string }, title: string, origin: string): Promise<{ booking: Booking; checkoutUrl: string }> {
  const day = input.start.slice(0, 10);
  const slot: Slot | undefined = (await freeSlots(env, day)).find((s) => s.start === input.start);
  if (slot === undefined) throw new SlotTakenError("That time is no longer free; please pick another slot.");
  const event = await google.calendar.events.insert({
    calendarId: "primary",
    requestBody: {
      summary: `${title}: ${input.name} (deposit pending)`,
      description: `Booked by ${input.name} <${input.email}> on ${title}. Held until the deposit is paid.`,
      start: { dateTime: slot.start },
      end: { dateTime: slot.end },
      status: "tentative",
    },
  });
  const booking = await env.DB.insert("bookings", { name: input.name, email: input.email, start: slot.start, end: slot.end, status: "pending", event_id: event.id ?? null });
  const { amount, currency } = deposit(env);
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ quantity: 1, price_data: { currency, unit_amount: amount, product_data: { name: `Deposit: ${title}, ${slot.start.slice(0, 16).replace("T", " ")} UTC` } } }],
    customer_email: input.email,
    client_reference_id: String(booking.id),
    success_url: `${origin}/booked/${booking.id}`,
    cancel_url: `${origin}/?day=${day}`,
    metadata: { booking_id: String(booking.id) },
  });
  const updated = await env.DB.update("bookings", booking.id, { session_id: session.id });
  if (session.url === null) throw new Error("Stripe did not return a payment page for the deposit.");
  return { booking: updated ?? booking, checkoutUrl: session.url };
}

/** On a paid deposit: the booking and its calendar event become confirmed (once). */
export async function confirmFromEvent(env: Env, event: StripeEvent, title: string): Promise<void> {
  if (event.type !== "checkout.session.completed") return;
  const session = event.data.object;
  const bookingId = Number(session.client_reference_id);
  if (!Number.isInteger(bookingId) || session.payment_status !== "paid") return;
  const booking = await env.DB.get("bookings", bookingId);
  if (booking === null || booking.status === "confirmed" || booking.session_id !== session.id) return;
  if (booking.event_id !== null) await google.calendar.events.patch({ calendarId: "primary", eventId: booking.event_id, requestBody: { status: "confirmed", summary: `${title}: ${booking.name}` } });
  await env.DB.update("bookings", booking.id, { status: "confirmed" });
}
