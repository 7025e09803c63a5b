// `POST /v1/invoices/:id/pay` and /v1/invoice_payments. Paying finalizes a
// draft, then charges a card the way a paid checkout does (payment intent,
// charge, balance transaction: payment-intents.ts) and links the payment to the
// invoice with an invoice payment; `paid_out_of_band` only marks it paid.
//
// The card: `payment_method` (or `source`), else the customer's default payment
// method. Stripe's test cards work: `pm_card_visa`, `tok_visa`, … succeed and
// the `…chargeDeclined…` ones fail with the card error Stripe answers (402),
// counting an attempt. Any other id must be a card the fake issued (a paid checkout's).
import { byCreated, readCreatedFilter } from "./listing.ts";
import { finalizeInvoice, markInvoicePaid } from "./invoice-status.ts";
import type { FakeInvoice } from "./objects.ts";
import type { FakeInvoicePayment } from "./payment-objects.ts";
import { recordPayment } from "./payment-intents.ts";
import { route, type FakeRoute } from "./routing.ts";
import { listPage, mustFind, newId, nowSeconds, type FakeStripeState } from "./store.ts";
import { cardDeclined, invalidRequest, noPaymentMethod, noSuch } from "./stripe-errors.ts";

const TEST_CARD = /^(pm_card|tok)_[A-Za-z_]+$/;

type Decline = [message: string, code: string, declineCode: string | undefined];

const GENERIC_DECLINE: Decline = ["Your card was declined.", "card_declined", "generic_decline"];

/** Stripe's declining test cards, by what follows `chargeDeclined` in their name. */
const DECLINES: Record<string, Decline> = {
  InsufficientFunds: ["Your card has insufficient funds.", "card_declined", "insufficient_funds"],
  LostCard: ["Your card was declined.", "card_declined", "lost_card"],
  StolenCard: ["Your card was declined.", "card_declined", "stolen_card"],
  Fraudulent: ["Your card was declined.", "card_declined", "fraudulent"],
  ExpiredCard: ["Your card has expired.", "expired_card", "expired_card"],
  IncorrectCvc: ["Your card's security code is incorrect.", "incorrect_cvc", "incorrect_cvc"],
  ProcessingError: [
    "An error occurred while processing your card. Try again in a little bit.",
    "processing_error",
    undefined,
  ],
};

/** Whether the fake knows `id` as a card: a Stripe test card, or one a paid checkout left on a customer or charge. */
function isKnownCard(state: FakeStripeState, id: string): boolean {
  if (TEST_CARD.test(id)) return true;
  for (const customer of state.customers.values())
    if (customer.invoice_settings.default_payment_method === id) return true;
  for (const charge of state.charges.values()) if (charge.payment_method === id) return true;
  return false;
}

/** Charges `card` for what is left to pay on an open invoice and marks it paid. */
function chargeInvoice(state: FakeStripeState, invoice: FakeInvoice, card: string): void {
  const declined = /chargeDeclined([A-Za-z]*)$/.exec(card);
  if (declined !== null) {
    invoice.attempted = true;
    invoice.attempt_count += 1;
    const [message, code, declineCode] = DECLINES[declined[1] ?? ""] ?? GENERIC_DECLINE;
    throw cardDeclined(message, code, declineCode);
  }
  const now = nowSeconds();
  const customer = state.customers.get(invoice.customer) ?? null;
  const { intent } = recordPayment(state, {
    amount: invoice.amount_remaining,
    currency: invoice.currency,
    created: now,
    customer,
    email: null,
    name: null,
    description: "Payment for Invoice",
    metadata: {},
    paymentMethod: card,
  });
  const payment: FakeInvoicePayment = {
    id: newId("inpay"),
    object: "invoice_payment",
    amount_paid: invoice.amount_remaining,
    amount_requested: invoice.amount_remaining,
    created: now,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: "payment_intent", payment_intent: intent.id },
    status: "paid",
    status_transitions: { canceled_at: null, paid_at: now },
  };
  state.invoicePayments.set(payment.id, payment);
  invoice.attempt_count += 1;
  markInvoicePaid(invoice);
}

/** Pay an invoice; list and retrieve invoice payments. */
export const invoicePaymentRoutes: FakeRoute[] = [
  route("POST", "/v1/invoices/:id/pay", ({ state, params, ids: [id = ""] }) => {
    const paymentMethod = params.string("payment_method");
    const source = params.string("source");
    const paidOutOfBand = params.boolean("paid_out_of_band") ?? false;
    // Accepted and without effect here: the fake has no partial payments, mandates or customer presence.
    params.boolean("forgive");
    params.boolean("off_session");
    params.nullableString("mandate");
    params.done();
    const invoice = mustFind(state.invoices, id, "invoice");
    if (paymentMethod !== undefined && source !== undefined)
      throw invalidRequest("You may only specify one of these parameters: payment_method, source.", {
        param: "payment_method",
      });
    if (paidOutOfBand && (paymentMethod !== undefined || source !== undefined))
      throw invalidRequest("You cannot pass `paid_out_of_band` together with a `payment_method` or `source`.", {
        param: "paid_out_of_band",
      });
    if (invoice.status === "paid") throw invalidRequest("Invoice is already paid");
    if (invoice.status === "void") throw invalidRequest("This invoice is void and can no longer be paid.");
    const customer = mustFind(state.customers, invoice.customer, "customer", "customer");
    const card = paymentMethod ?? source ?? (customer.invoice_settings.default_payment_method as string | null);
    if (card !== null && !isKnownCard(state, card))
      throw source === undefined ? noSuch("PaymentMethod", card, "payment_method") : noSuch("source", card, "source");
    if (!paidOutOfBand && card === null && invoice.total > 0) throw noPaymentMethod();
    if (invoice.status === "draft") finalizeInvoice(state, invoice, customer, { email: false });
    if (invoice.status === "paid") return invoice;
    if (paidOutOfBand) markInvoicePaid(invoice);
    else if (card !== null) chargeInvoice(state, invoice, card);
    return invoice;
  }),

  route("GET", "/v1/invoice_payments", ({ state, params }) => {
    const created = readCreatedFilter(params);
    const invoice = params.string("invoice");
    const status = params.oneOf("status", ["canceled", "open", "paid"] as const);
    const payment = params.hash("payment");
    const paymentType = payment?.oneOf("type", ["payment_intent", "payment_record"] as const);
    const paymentIntent = payment?.string("payment_intent");
    payment?.done();
    const all = byCreated(state.invoicePayments.values()).filter(
      (item) =>
        created(item.created) &&
        (invoice === undefined || item.invoice === invoice) &&
        (status === undefined || item.status === status) &&
        (paymentType === undefined || item.payment.type === paymentType) &&
        (paymentIntent === undefined || item.payment.payment_intent === paymentIntent),
    );
    const page = listPage(all, params, "/v1/invoice_payments", "invoice_payment");
    params.done();
    return page;
  }),

  route("GET", "/v1/invoice_payments/:id", ({ state, params, ids: [id = ""] }) => {
    params.done();
    return mustFind(state.invoicePayments, id, "invoice_payment");
  }),
];
