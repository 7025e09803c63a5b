// The booking template, deployed through the real API: free/busy and events on the
// Google fake's calendar, the deposit on the Stripe fake, confirmation from a signed event.
import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../worker/test/api-client";
import { askApp } from "../../worker/test/connector-app";
import { templateFiles } from "../../worker/src/templates";
import { connectGoogle, googleFake } from "../../worker/test/template-google";
import {
  connectStripe,
  deliverStripeEvent,
  payCheckoutSession,
  stripeFake,
  stripeWebhookPath,
} from "../../worker/test/template-stripe";
import { deployFiles, pageText, postForm } from "../../worker/test/templates";

interface Slot {
  start: string;
  end: string;
}
interface Booking {
  id: number;
  start: string;
  status: string;
  event_id: string | null;
  session_id: string | null;
}

/** A day far from every other test's events on the shared fake calendar. */
function quietDay(): string {
  const offset = Math.floor(Math.random() * 3000);
  return new Date(Date.UTC(2040, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
}

describe("booking-calendar-stripe template", () => {
  it("offers the free slots of a day, holds a booked one on the calendar, and confirms it when Stripe says the deposit is paid", async () => {
    const user = await newUser();
    await connectGoogle(user);
    await connectStripe(user);
    const app = await deployFiles(user, "booking", templateFiles("booking-calendar-stripe"), {
      DEPOSIT_CENTS: "2500",
      DAY_START: "9",
      DAY_END: "13",
    });
    const day = quietDay();
    const slots = async () =>
      (await askApp<{ slots: Slot[] }>(`${app.previewUrl}api/slots?day=${day}`)).json.slots.map((s) =>
        s.start.slice(11, 16),
      );

    expect(await slots()).toEqual(["09:00", "10:00", "11:00", "12:00"]);
    await googleFake("POST", "/calendar/v3/calendars/primary/events", {
      summary: "Dentist",
      start: { dateTime: `${day}T10:30:00Z` },
      end: { dateTime: `${day}T11:15:00Z` },
    });
    expect(await slots()).toEqual(["09:00", "12:00"]);

    const html = await pageText(`${app.previewUrl}?day=${day}`);
    expect(html).toContain("<h1>Book a session</h1>");
    expect(html).toContain(`value="${day}T09:00:00.000Z"`);

    const booked = await askApp<{ booking: Booking; checkoutUrl: string }>(`${app.previewUrl}api/bookings`, {
      method: "POST",
      body: { start: `${day}T09:00:00.000Z`, name: "Ada Lovelace", email: "ada@example.com" },
    });
    expect(booked.status).toBe(201);
    expect(booked.json.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    const { booking } = booked.json;
    expect(booking.status).toBe("pending");
    expect(await slots()).toEqual(["12:00"]); // the held slot is busy now
    const held = await googleFake<{ status: string; summary: string }>(
      "GET",
      `/calendar/v3/calendars/primary/events/${booking.event_id}`,
    );
    expect(held).toMatchObject({ status: "tentative", summary: "Book a session: Ada Lovelace (deposit pending)" });
    const session = await stripeFake<{ amount_total: number; customer_email: string; client_reference_id: string }>(
      "GET",
      `/v1/checkout/sessions/${booking.session_id}`,
    );
    expect(session).toMatchObject({
      amount_total: 2500,
      customer_email: "ada@example.com",
      client_reference_id: String(booking.id),
    });

    const taken = await askApp<{ error: string }>(`${app.previewUrl}api/bookings`, {
      method: "POST",
      body: { start: `${day}T09:00:00.000Z`, name: "Bob", email: "bob@example.com" },
    });
    expect(taken.status).toBe(409);
    expect(taken.json.error).toContain("no longer free");

    const path = await stripeWebhookPath(user, app.id);
    const paid = await payCheckoutSession(booking.session_id!);
    expect(await deliverStripeEvent(path, "checkout.session.completed", paid)).toEqual({
      status: 200,
      body: { received: true, handled: true },
    });
    expect((await askApp<Booking>(`${app.previewUrl}api/bookings/${booking.id}`)).json.status).toBe("confirmed");
    const confirmed = await googleFake<{ status: string; summary: string }>(
      "GET",
      `/calendar/v3/calendars/primary/events/${booking.event_id}`,
    );
    expect(confirmed).toMatchObject({ status: "confirmed", summary: "Book a session: Ada Lovelace" });
    expect(await pageText(`${app.previewUrl}booked/${booking.id}`)).toContain(`You are booked for ${day} 09:00 UTC`);

    // The page's form sends the visitor to Stripe's page for the deposit.
    const viaForm = await postForm(`${app.previewUrl}book`, {
      start: `${day}T12:00:00.000Z`,
      name: "Grace",
      email: "grace@example.com",
    });
    expect(viaForm.status).toBe(303);
    expect(viaForm.location).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    expect(await slots()).toEqual([]);
  });

  it("refuses a day that is not a date, in plain words", async () => {
    const user = await newUser();
    await connectGoogle(user);
    const app = await deployFiles(user, "booking", templateFiles("booking-calendar-stripe"));
    const answer = await visit(`${app.previewUrl}api/slots?day=next-friday`);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain("is not a day");
  });
});
