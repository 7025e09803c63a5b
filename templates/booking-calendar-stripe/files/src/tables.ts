// Bookings: held on the calendar while the deposit is pending, confirmed once Stripe says it is paid.
import { defineTables } from "kiln";

/** One booking; `status` is "pending" (deposit not paid yet) or "confirmed". */
export const tables = defineTables({
  bookings: { name: "text", email: "text", start: "text", end: "text", status: "text", event_id: "text?", session_id: "text?" },
});
