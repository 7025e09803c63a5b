// An invoice's life: draft → open (finalized) → paid, void or uncollectible,
// with Stripe's refusals for the moves it does not allow. Sending emails the
// invoice: the fake records each email for tests (`GET /__fake/invoices/sent`).
// Paying is in invoice-payments.ts.
import { FAKE_STRIPE_ACCOUNT_ID } from "./credentials.ts";
import type { FakeCustomer, FakeInvoice } from "./objects.ts";
import { route, type FakeRoute } from "./routing.ts";
import { mustFind, nowSeconds, type FakeStripeState, type SentInvoice } from "./store.ts";
import { invalidRequest } from "./stripe-errors.ts";

/** Records an invoice email, with the invoice as the customer received it. */
function emailInvoice(state: FakeStripeState, invoice: FakeInvoice): void {
  state.sentInvoices.push({ invoice: structuredClone(invoice), to: invoice.customer_email, sent_at: nowSeconds() });
}

/**
 * Draft → open: numbered, with its hosted page and the customer's details as
 * they are now. A zero total is paid at once; a `send_invoice` invoice with
 * `auto_advance` is emailed, as Stripe does (`email: false` when the caller sends it).
 */
export function finalizeInvoice(
  state: FakeStripeState,
  invoice: FakeInvoice,
  customer: FakeCustomer,
  options: { email: boolean } = { email: true },
): void {
  if (invoice.status !== "draft")
    throw invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice.", {
      code: "invoice_not_editable",
    });
  state.invoiceCount += 1;
  invoice.status = "open";
  invoice.number = `${customer.invoice_prefix ?? "INV"}-${String(state.invoiceCount).padStart(4, "0")}`;
  invoice.customer_email = customer.email;
  invoice.customer_name = customer.name ?? null;
  invoice.hosted_invoice_url = `https://invoice.stripe.com/i/${FAKE_STRIPE_ACCOUNT_ID}/test_${invoice.id}`;
  invoice.invoice_pdf = `https://pay.stripe.com/invoice/${FAKE_STRIPE_ACCOUNT_ID}/test_${invoice.id}/pdf`;
  invoice.status_transitions.finalized_at = nowSeconds();
  if (invoice.total === 0) markInvoicePaid(invoice);
  else if (options.email && invoice.auto_advance === true && invoice.collection_method === "send_invoice")
    emailInvoice(state, invoice);
}

/** Records full payment of an open invoice. */
export function markInvoicePaid(invoice: FakeInvoice): void {
  invoice.status = "paid";
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.attempted = invoice.total > 0;
  invoice.attempt_count = Math.max(invoice.attempt_count, invoice.total > 0 ? 1 : 0);
  invoice.status_transitions.paid_at = nowSeconds();
}

/** The invoice emails for `GET /__fake/invoices/sent`, oldest first, narrowed by `invoice` and `customer`. */
export function sentInvoices(state: FakeStripeState, query: URLSearchParams): SentInvoice[] {
  const invoice = query.get("invoice");
  const customer = query.get("customer");
  return state.sentInvoices.filter(
    (sent) =>
      (invoice === null || sent.invoice.id === invoice) && (customer === null || sent.invoice.customer === customer),
  );
}

function customerOf(state: FakeStripeState, invoice: FakeInvoice): FakeCustomer {
  return mustFind(state.customers, invoice.customer, "customer", "customer");
}

/** Finalize, send, void and mark uncollectible. */
export const invoiceStatusRoutes: FakeRoute[] = [
  route("POST", "/v1/invoices/:id/finalize", ({ state, params, ids: [id = ""] }) => {
    const autoAdvance = params.boolean("auto_advance");
    params.done();
    const invoice = mustFind(state.invoices, id, "invoice");
    if (invoice.status === "draft" && autoAdvance !== undefined) invoice.auto_advance = autoAdvance;
    finalizeInvoice(state, invoice, customerOf(state, invoice));
    return invoice;
  }),

  // Emails the invoice (finalizing a draft first); a paid one may be sent again.
  route("POST", "/v1/invoices/:id/send", ({ state, params, ids: [id = ""] }) => {
    params.done();
    const invoice = mustFind(state.invoices, id, "invoice");
    if (invoice.collection_method !== "send_invoice")
      throw invalidRequest("You can only manually send an invoice if its collection method is 'send_invoice'.");
    if (invoice.status === "void") throw invalidRequest("You cannot send a void invoice.");
    const customer = customerOf(state, invoice);
    if ((invoice.status === "draft" ? customer.email : invoice.customer_email) === null)
      throw invalidRequest("This invoice cannot be sent because the customer has no email address.");
    if (invoice.status === "draft") finalizeInvoice(state, invoice, customer, { email: false });
    emailInvoice(state, invoice);
    return invoice;
  }),

  route("POST", "/v1/invoices/:id/void", ({ state, params, ids: [id = ""] }) => {
    params.done();
    const invoice = mustFind(state.invoices, id, "invoice");
    if (invoice.status !== "open" && invoice.status !== "uncollectible")
      throw invalidRequest(`This invoice is ${invoice.status}; only open or uncollectible invoices can be voided.`);
    invoice.status = "void";
    invoice.status_transitions.voided_at = nowSeconds();
    return invoice;
  }),

  route("POST", "/v1/invoices/:id/mark_uncollectible", ({ state, params, ids: [id = ""] }) => {
    params.done();
    const invoice = mustFind(state.invoices, id, "invoice");
    if (invoice.status !== "open" && invoice.status !== "uncollectible")
      throw invalidRequest(`This invoice is ${invoice.status}; only open invoices can be marked uncollectible.`);
    invoice.status = "uncollectible";
    invoice.status_transitions.marked_uncollectible_at ??= nowSeconds();
    return invoice;
  }),
];
