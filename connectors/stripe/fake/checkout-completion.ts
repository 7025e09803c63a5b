// The buyer paying on a Stripe-hosted checkout page: the session completes and
// the money moves (a payment intent with its charge and balance transaction, or
// a subscription whose first invoice is paid by card). The test control
// endpoint `POST /__fake/checkout/sessions/:id/complete` and seeded past
// payments (past-payments.ts) both pay through here.
import { newCustomer } from "./customers.ts";
import type { FakeCheckoutSession, FakeCustomer } from "./objects.ts";
import { recordPayment } from "./payment-intents.ts";
import { mustFind, newId, nowSeconds, type FakeStripeState } from "./store.ts";
import { invalidRequest } from "./stripe-errors.ts";
import { startSubscription } from "./subscription-start.ts";

/**
 * The buyer pays on the hosted page at `paidAt` (default now): the session
 * completes, with a customer holding a default payment method, and a succeeded
 * payment (payment mode) or a started subscription whose first invoice is paid
 * by card (subscription mode). `details` is what the buyer typed as payment
 * details (seeded past payments set them).
 */
export function completeCheckoutSession(
  state: FakeStripeState,
  id: string,
  paidAt = nowSeconds(),
  details: { description?: string | null; metadata?: Record<string, string> } = {},
): FakeCheckoutSession {
  const session = mustFind(state.checkoutSessions, id, "checkout.session");
  if (session.status !== "open")
    throw invalidRequest(`This Checkout Session is ${session.status ?? "not open"} and can no longer be paid.`);
  const paymentMethod = newId("pm");
  const email = session.customer_email ?? "buyer@example.com";
  let customer: FakeCustomer | undefined =
    session.customer === null ? undefined : state.customers.get(session.customer);
  if (customer === undefined && (session.mode === "subscription" || session.customer_creation === "always")) {
    customer = newCustomer({ email, currency: session.currency });
    customer.created = paidAt;
    state.customers.set(customer.id, customer);
  }
  if (customer !== undefined)
    customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: paymentMethod };
  session.customer = customer?.id ?? null;
  session.customer_details = {
    address: customer?.address ?? null,
    business_name: null,
    email: customer?.email ?? email,
    individual_name: null,
    name: customer?.name ?? null,
    phone: customer?.phone ?? null,
    tax_exempt: "none",
    tax_ids: [],
  };
  if (session.mode === "payment") {
    const { intent } = recordPayment(state, {
      amount: session.amount_total ?? 0,
      currency: session.currency ?? "usd",
      created: paidAt,
      customer: customer ?? null,
      email: session.customer_details.email,
      name: null,
      description: details.description ?? null,
      metadata: details.metadata ?? {},
      paymentMethod,
    });
    session.payment_intent = intent.id;
  } else if (session.mode === "subscription" && customer !== undefined) {
    const items = session.line_items.data.map((line) => ({ price: line.price, quantity: line.quantity ?? 1 }));
    const data = state.checkoutSubscriptionData.get(session.id) ?? { trialPeriodDays: null, metadata: {} };
    const subscription = startSubscription(state, {
      customer,
      items,
      metadata: data.metadata,
      description: null,
      trialPeriodDays: data.trialPeriodDays,
      collectionMethod: "charge_automatically",
      daysUntilDue: null,
      paymentBehavior: "allow_incomplete",
      defaultPaymentMethod: null,
      cancelAtPeriodEnd: false,
    });
    session.subscription = subscription.id;
    session.invoice = subscription.latest_invoice;
    const invoice = session.invoice === null ? undefined : state.invoices.get(session.invoice);
    // The first invoice is paid with the card just given, as a payment Stripe describes so.
    if (invoice?.status === "paid" && invoice.amount_paid > 0) {
      recordPayment(state, {
        amount: invoice.amount_paid,
        currency: invoice.currency,
        created: paidAt,
        customer,
        email: null,
        name: null,
        description: "Subscription creation",
        metadata: {},
        paymentMethod,
      });
    }
  }
  session.status = "complete";
  session.payment_status = session.mode === "setup" ? "no_payment_required" : "paid";
  return session;
}
