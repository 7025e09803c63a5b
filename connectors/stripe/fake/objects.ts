// The objects the fake stores and returns, typed as picks of the official
// `stripe` package's types so every field the fake sends has Stripe's name and
// shape at the pinned API version. The fake fills a subset of each object.
// The money objects (payment intents, charges, balance transactions, refunds) are in payment-objects.ts.
import type Stripe from "stripe";

/** Stripe's list envelope (`GET /v1/customers`). */
export interface FakeList<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

/** Stripe's search envelope (`GET /v1/customers/search`). */
export interface FakeSearchResult<T> {
  object: "search_result";
  data: T[];
  has_more: boolean;
  next_page: string | null;
  url: string;
}

/** What a deleted customer's id answers with. */
export type FakeDeletedCustomer = Pick<Stripe.DeletedCustomer, "id" | "object" | "deleted">;

/** A customer: who pays, with their contact details and invoice settings. */
export type FakeCustomer = Pick<
  Stripe.Customer,
  | "id"
  | "object"
  | "address"
  | "balance"
  | "created"
  | "currency"
  | "default_source"
  | "delinquent"
  | "description"
  | "email"
  | "invoice_prefix"
  | "invoice_settings"
  | "livemode"
  | "metadata"
  | "name"
  | "phone"
  | "preferred_locales"
  | "shipping"
  | "tax_exempt"
  | "test_clock"
>;

/** What is sold; `default_price` is an id. */
export type FakeProduct = Omit<
  Pick<
    Stripe.Product,
    | "id"
    | "object"
    | "active"
    | "created"
    | "default_price"
    | "description"
    | "images"
    | "livemode"
    | "marketing_features"
    | "metadata"
    | "name"
    | "package_dimensions"
    | "shippable"
    | "statement_descriptor"
    | "tax_code"
    | "type"
    | "unit_label"
    | "updated"
    | "url"
  >,
  "default_price"
> & { default_price: string | null };

/** On the wire `unit_amount_decimal` is a decimal string (the SDK wraps it in a class). */
export type FakePrice = Omit<
  Pick<
    Stripe.Price,
    | "id"
    | "object"
    | "active"
    | "billing_scheme"
    | "created"
    | "currency"
    | "custom_unit_amount"
    | "livemode"
    | "lookup_key"
    | "metadata"
    | "nickname"
    | "recurring"
    | "tax_behavior"
    | "tiers_mode"
    | "transform_quantity"
    | "type"
    | "unit_amount"
  >,
  "recurring"
> & { product: string; unit_amount_decimal: string | null; recurring: FakeRecurring | null };

/** The recurring part of a price, without the deprecated fields Stripe no longer sends by default. */
export type FakeRecurring = Pick<Stripe.Price.Recurring, "interval" | "interval_count" | "meter" | "usage_type">;

/** A shareable payment page; `line_items` is kept here but sent only when expanded. */
export type FakePaymentLink = Pick<
  Stripe.PaymentLink,
  | "id"
  | "object"
  | "active"
  | "after_completion"
  | "allow_promotion_codes"
  | "billing_address_collection"
  | "currency"
  | "customer_creation"
  | "inactive_message"
  | "livemode"
  | "metadata"
  | "url"
> & { line_items: FakeList<FakeLineItem> };

/** A line of a payment link or checkout session (`line_items.data[]`). */
export type FakeLineItem = Pick<
  Stripe.LineItem,
  "id" | "object" | "amount_subtotal" | "amount_total" | "currency" | "description" | "quantity"
> & {
  price: FakePrice;
};

/** A checkout page opened for one buyer. */
export type FakeCheckoutSession = Pick<
  Stripe.Checkout.Session,
  | "id"
  | "object"
  | "allow_promotion_codes"
  | "amount_subtotal"
  | "amount_total"
  | "cancel_url"
  | "client_reference_id"
  | "created"
  | "currency"
  | "customer_creation"
  | "customer_email"
  | "expires_at"
  | "livemode"
  | "metadata"
  | "mode"
  | "payment_status"
  | "status"
  | "success_url"
  | "url"
> & {
  customer: string | null;
  invoice: string | null;
  payment_intent: string | null;
  payment_link: string | null;
  subscription: string | null;
  customer_details: Stripe.Checkout.Session.CustomerDetails | null;
  /** Not sent: `line_items` is only returned when expanded; kept to price the session. */
  line_items: FakeList<FakeLineItem>;
};

/** One price on a subscription, with its quantity and current period. */
export type FakeSubscriptionItem = Pick<
  Stripe.SubscriptionItem,
  "id" | "object" | "created" | "current_period_end" | "current_period_start" | "metadata" | "quantity" | "subscription"
> & { price: FakePrice };

/** A customer's recurring plan; references are ids. */
export type FakeSubscription = Pick<
  Stripe.Subscription,
  | "id"
  | "object"
  | "billing_cycle_anchor"
  | "cancel_at"
  | "cancel_at_period_end"
  | "canceled_at"
  | "cancellation_details"
  | "collection_method"
  | "created"
  | "currency"
  | "days_until_due"
  | "description"
  | "ended_at"
  | "livemode"
  | "metadata"
  | "start_date"
  | "status"
  | "trial_end"
  | "trial_start"
> & {
  customer: string;
  default_payment_method: string | null;
  items: FakeList<FakeSubscriptionItem>;
  latest_invoice: string | null;
};

/** One line of an invoice (`lines.data[]`, `GET /v1/invoices/:id/lines`). */
export type FakeInvoiceLine = Pick<
  Stripe.InvoiceLineItem,
  "id" | "object" | "amount" | "currency" | "description" | "livemode" | "metadata" | "period" | "quantity" | "subtotal"
> & {
  invoice: string;
  /** What made the line: an invoice item, or a subscription item. */
  parent: FakeInvoiceLineParent;
  pricing: {
    price_details: { price: string; product: string } | null;
    type: "price_details";
    unit_amount_decimal: string;
  } | null;
};

/** `parent` of an invoice line, with its references as ids. */
export type FakeInvoiceLineParent =
  | {
      type: "invoice_item_details";
      invoice_item_details: Omit<Stripe.InvoiceLineItem.Parent.InvoiceItemDetails, "proration_details"> & {
        proration_details: { credited_items: null };
      };
      subscription_item_details: null;
    }
  | {
      type: "subscription_item_details";
      invoice_item_details: null;
      subscription_item_details: Omit<Stripe.InvoiceLineItem.Parent.SubscriptionItemDetails, "proration_details"> & {
        proration_details: { credited_items: null };
      };
    };

/** An invoice; `customer` is an id and `lines` is sent in full. */
export type FakeInvoice = Pick<
  Stripe.Invoice,
  | "id"
  | "object"
  | "amount_due"
  | "amount_paid"
  | "amount_remaining"
  | "attempt_count"
  | "attempted"
  | "auto_advance"
  | "billing_reason"
  | "collection_method"
  | "created"
  | "currency"
  | "customer_email"
  | "customer_name"
  | "description"
  | "due_date"
  | "hosted_invoice_url"
  | "invoice_pdf"
  | "livemode"
  | "metadata"
  | "number"
  | "period_end"
  | "period_start"
  | "status"
  | "status_transitions"
  | "subtotal"
  | "total"
> & {
  customer: string;
  lines: FakeList<FakeInvoiceLine>;
  parent: {
    type: "subscription_details";
    subscription_details: { subscription: string; metadata: Record<string, string> };
  } | null;
};

/** A charge waiting to be billed, or billed on `invoice`. */
export type FakeInvoiceItem = Pick<
  Stripe.InvoiceItem,
  | "id"
  | "object"
  | "amount"
  | "currency"
  | "date"
  | "description"
  | "livemode"
  | "metadata"
  | "period"
  | "proration"
  | "quantity"
> & {
  customer: string;
  invoice: string | null;
  pricing: {
    price_details: { price: string; product: string } | null;
    type: "price_details";
    unit_amount_decimal: string;
  } | null;
};
