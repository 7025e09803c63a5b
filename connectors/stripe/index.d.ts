// kiln/stripe: payments, customers, products, subscriptions and invoices in the app
// owner's Stripe account. Kiln adds the owner's key outside the app: never put a key
// in code. Params and fields are Stripe's own (snake_case). Amounts are integers in
// the smallest currency unit (1999 = $19.99); currencies are lower-case ("usd");
// times are Unix seconds. Failures throw StripeError.

/** Stripe may add values to these lists; treat unknown ones like "other". */
type OrNewer<T extends string> = T | (string & {});

/** Your own key/value strings on an object (≤50 keys). On update, "" as a value removes that key. */
export type Metadata = Record<string, string>;
/** `country` is a two-letter code ("US"). */
export interface Address { line1: string | null; line2: string | null; city: string | null; state: string | null; postal_code: string | null; country: string | null }

/** One page, newest first. Next page: pass the last item's id as `starting_after`. */
export interface List<T> { data: T[]; has_more: boolean; url: string }
/** One page of search results. Next page: pass `next_page` as `page`. */
export interface SearchResult<T> { data: T[]; has_more: boolean; next_page: string | null; url: string }
/** `limit` 1–100 (default 10). */
export interface ListParams { limit?: number; starting_after?: string; ending_before?: string }
/** Writes carry an idempotency key: retrying with the same key and params returns the first result instead of acting twice (default: a new random key per call). */
export interface WriteOptions { idempotencyKey?: string }

export interface Customer {
  id: string; email: string | null; name?: string | null; phone?: string | null; description: string | null;
  address?: Address | null; metadata: Metadata; created: number;
}
export interface CustomerParams { email?: string; name?: string; phone?: string; description?: string; address?: Partial<Record<keyof Address, string>>; metadata?: Metadata }

export interface Product { id: string; name: string; description: string | null; active: boolean; /** Price id. */ default_price?: string | null; images: string[]; metadata: Metadata; created: number }
export type Interval = "day" | "week" | "month" | "year";
/** Bills every `interval_count` (default 1) `interval`s. */
export interface RecurringParams { interval: Interval; interval_count?: number }
export interface ProductCreateParams {
  name: string; description?: string; active?: boolean; images?: string[]; url?: string; metadata?: Metadata;
  /** Creates the product's first price too. */ default_price_data?: { currency: string; unit_amount: number; recurring?: RecurringParams };
}

/** What a product costs, once ("one_time") or per interval ("recurring"). */
export interface Price {
  id: string; product: string; active: boolean; currency: string; unit_amount: number | null; type: OrNewer<"one_time" | "recurring">;
  recurring: { interval: OrNewer<Interval>; interval_count: number } | null; nickname: string | null; lookup_key: string | null; metadata: Metadata; created: number;
}
export interface PriceCreateParams {
  currency: string; unit_amount: number; /** Omit for a one-time price. */ recurring?: RecurringParams;
  /** An existing product, or `product_data` to create one. */ product?: string; product_data?: { name: string };
  /** Your stable name for it; find it with `prices.list({ lookup_keys })`. */ lookup_key?: string; /** Take `lookup_key` from the price that has it. */ transfer_lookup_key?: boolean;
  nickname?: string; active?: boolean; metadata?: Metadata;
}
export interface PriceFilter { product?: string; active?: boolean; type?: "one_time" | "recurring"; currency?: string; lookup_keys?: string[] }

/** A price id, or an inline `price_data` (for an existing `product`, or a new one from `product_data`), and a quantity. */
export interface LineItemParams {
  price?: string; quantity: number;
  price_data?: { currency: string; unit_amount: number; product?: string; product_data?: { name: string; description?: string }; recurring?: RecurringParams };
}

/** A reusable link to a Stripe-hosted payment page: share `url`. */
export interface PaymentLink { id: string; url: string; active: boolean; currency: string; metadata: Metadata }
export interface PaymentLinkCreateParams {
  line_items: LineItemParams[]; allow_promotion_codes?: boolean; metadata?: Metadata;
  /** After paying: Stripe's confirmation page (default) or your URL. */
  after_completion?: { type: "redirect"; redirect: { url: string } } | { type: "hosted_confirmation"; hosted_confirmation?: { custom_message?: string } };
}

/** One checkout on a Stripe-hosted page: send the buyer to `url`. Paid when `status` is "complete". */
export interface CheckoutSession {
  id: string; url: string | null; mode: OrNewer<"payment" | "setup" | "subscription">; status: OrNewer<"open" | "complete" | "expired"> | null;
  payment_status: OrNewer<"paid" | "unpaid" | "no_payment_required">; amount_total: number | null; currency: string | null; client_reference_id: string | null;
  customer: string | null; customer_email: string | null; customer_details: { email: string | null; name: string | null } | null;
  payment_intent: string | null; subscription: string | null; expires_at: number; metadata: Metadata | null;
}
export interface CheckoutSessionCreateParams {
  /** "payment": one-time prices only; "subscription": at least one recurring price. */ mode: "payment" | "subscription";
  line_items: LineItemParams[]; /** May contain {CHECKOUT_SESSION_ID}. */ success_url: string; cancel_url?: string;
  /** An existing customer, or an email to prefill (not both). */ customer?: string; customer_email?: string;
  /** Your reference (order or user id), given back on the session. */ client_reference_id?: string;
  /** Payment mode: "always" creates a customer for the buyer. */ customer_creation?: "always" | "if_required";
  allow_promotion_codes?: boolean; subscription_data?: { trial_period_days?: number; metadata?: Metadata }; metadata?: Metadata;
}

export type SubscriptionStatus = "incomplete" | "incomplete_expired" | "trialing" | "active" | "past_due" | "canceled" | "unpaid" | "paused";
export interface SubscriptionItem { id: string; price: Price; quantity?: number; current_period_start: number; current_period_end: number; metadata: Metadata }
export interface Subscription {
  id: string; customer: string; status: OrNewer<SubscriptionStatus>; items: List<SubscriptionItem>;
  /** True when it ends at `cancel_at`, the end of the period. */ cancel_at_period_end: boolean; cancel_at: number | null; canceled_at: number | null;
  trial_end: number | null; latest_invoice: string | null; metadata: Metadata; created: number;
}
export interface SubscriptionCreateParams {
  customer: string; items: { price: string; quantity?: number }[]; trial_period_days?: number;
  /** "send_invoice" emails invoices (needs `days_until_due`) instead of charging the saved card. */ collection_method?: "charge_automatically" | "send_invoice"; days_until_due?: number;
  /** "default_incomplete": start unpaid instead of failing when the customer has no card. */ payment_behavior?: "allow_incomplete" | "default_incomplete" | "error_if_incomplete";
  default_payment_method?: string; cancel_at_period_end?: boolean; description?: string; metadata?: Metadata;
}
export interface SubscriptionUpdateParams {
  /** Change an item (`id` + `price`/`quantity`), remove one (`id` + `deleted: true`) or add one (`price`). */ items?: { id?: string; price?: string; quantity?: number; deleted?: boolean }[];
  cancel_at_period_end?: boolean; proration_behavior?: "create_prorations" | "none" | "always_invoice"; default_payment_method?: string; description?: string; metadata?: Metadata;
}
/** Without `status`, canceled subscriptions are left out; "all" includes them. */
export interface SubscriptionFilter { customer?: string; price?: string; status?: SubscriptionStatus | "all" | "ended" }

/** draft → open (finalized: numbered, payable at `hosted_invoice_url`) → paid; or void / uncollectible. */
export interface Invoice {
  id: string; customer: string | null; status: OrNewer<"draft" | "open" | "paid" | "uncollectible" | "void"> | null; number: string | null;
  currency: string; total: number; amount_due: number; amount_remaining: number; hosted_invoice_url?: string | null; invoice_pdf?: string | null; due_date: number | null; metadata: Metadata | null; created: number;
  lines: List<{ id: string; amount: number; currency: string; description: string | null; quantity: number | null }>;
}
export interface InvoiceCreateParams {
  customer: string; collection_method?: "charge_automatically" | "send_invoice"; /** Required with "send_invoice". */ days_until_due?: number;
  currency?: string; description?: string; auto_advance?: boolean; metadata?: Metadata;
  /** "include": add the customer's pending invoice items (created without `invoice`). */ pending_invoice_items_behavior?: "exclude" | "include";
}
export interface InvoiceFilter { customer?: string; subscription?: string; status?: "draft" | "open" | "paid" | "uncollectible" | "void" }
/** A charge on a draft invoice (or pending for the customer's next one). */
export interface InvoiceItem { id: string; customer: string; invoice: string | null; amount: number; currency: string; description: string | null; quantity: number; metadata: Metadata | null }
export interface InvoiceItemCreateParams {
  customer: string; /** A draft invoice of this customer; omit to leave it pending. */ invoice?: string;
  /** Either `amount` (the total) + `currency`, or `pricing.price` × `quantity`. */ amount?: number; currency?: string; pricing?: { price: string }; quantity?: number;
  description?: string; metadata?: Metadata;
}

/** Money sent back for a payment; `status` is "succeeded", "pending", "requires_action", "failed" or "canceled". */
export interface Refund { id: string; amount: number; currency: string; status: string | null; payment_intent: string | null; charge: string | null; reason: OrNewer<"duplicate" | "fraudulent" | "requested_by_customer"> | null; metadata: Metadata | null }
export interface RefundCreateParams {
  /** The payment (e.g. a checkout session's `payment_intent`), or its `charge`. */ payment_intent?: string; charge?: string;
  /** Default: all that is left. */ amount?: number; reason?: "duplicate" | "fraudulent" | "requested_by_customer"; metadata?: Metadata;
}

/** `list` gets one page; `listAll` walks every page: `for await (const price of stripe.prices.listAll({ product })) …`. */
export interface Resource<T, CreateParams, Filter> {
  create(params: CreateParams, options?: WriteOptions): Promise<T>;
  retrieve(id: string): Promise<T>;
  list(params?: ListParams & Filter): Promise<List<T>>;
  listAll(params?: Filter): AsyncIterable<T>;
}

/** The Stripe client of an app. */
export interface StripeClient {
  customers: Resource<Customer, CustomerParams, { /** Exact match. */ email?: string }> & {
    /** Changes only the given fields. */
    update(id: string, params: CustomerParams, options?: WriteOptions): Promise<Customer>;
    /** `query`: "email:'ann@example.com'", "name~'ann'" (contains), "metadata['plan']:'pro'", joined by AND or OR. New customers show up within a minute. */
    search(params: { query: string; limit?: number; page?: string }): Promise<SearchResult<Customer>>;
    searchAll(params: { query: string }): AsyncIterable<Customer>;
  };
  products: Resource<Product, ProductCreateParams, { active?: boolean }>;
  prices: Resource<Price, PriceCreateParams, PriceFilter>;
  paymentLinks: { create(params: PaymentLinkCreateParams, options?: WriteOptions): Promise<PaymentLink> };
  checkout: { sessions: Pick<Resource<CheckoutSession, CheckoutSessionCreateParams, {}>, "create" | "retrieve"> };
  /** `create` charges the customer's saved card now, unless trialing or "send_invoice" (see `payment_behavior`). */
  subscriptions: Resource<Subscription, SubscriptionCreateParams, SubscriptionFilter> & {
    update(id: string, params: SubscriptionUpdateParams, options?: WriteOptions): Promise<Subscription>;
    /** Ends it now. To end it with the period instead: `update(id, { cancel_at_period_end: true })`. */
    cancel(id: string, params?: { invoice_now?: boolean; prorate?: boolean; cancellation_details?: { comment?: string } }): Promise<Subscription>;
  };
  /** `create` makes a draft: add lines with `invoiceItems.create`, then `finalizeInvoice`. */
  invoices: Resource<Invoice, InvoiceCreateParams, InvoiceFilter> & {
    finalizeInvoice(id: string, params?: { auto_advance?: boolean }, options?: WriteOptions): Promise<Invoice>;
  };
  invoiceItems: { create(params: InvoiceItemCreateParams, options?: WriteOptions): Promise<InvoiceItem> };
  refunds: { create(params: RefundCreateParams, options?: WriteOptions): Promise<Refund> };
}

/** Ready to use: `await stripe.customers.create({ email })`. */
export declare const stripe: StripeClient;
/** A client with its own `fetch` (tests); apps use `stripe`. */
export declare function createStripeClient(options?: { fetch?: typeof fetch }): StripeClient;

/** Stripe's error types, plus: 401 "authentication_error", 403 "permission_error", 429 "rate_limit_error", and "connection_error" (Stripe not reached). */
export type StripeErrorType = "invalid_request_error" | "card_error" | "idempotency_error" | "api_error" | "authentication_error" | "permission_error" | "rate_limit_error" | "connection_error";
/** A failed Stripe call; `message` says what happened and what to do. */
export declare class StripeError extends Error {
  constructor(init: { type: StripeErrorType; status: number; message: string; stripeMessage: string; code?: string | null; param?: string | null; requestId?: string | null });
  readonly type: StripeErrorType;
  /** HTTP status; 0 when Stripe was not reached. */
  readonly status: number;
  /** e.g. "resource_missing", "parameter_missing", "card_declined". */
  readonly code: string | null;
  /** The parameter Stripe blamed, e.g. "email". */
  readonly param: string | null;
  /** Stripe's own words. */
  readonly stripeMessage: string;
  /** "req_…", for Stripe support. */
  readonly requestId: string | null;
}

/**
 * A Stripe event Kiln received on this app's webhook endpoint, with its signature checked and never
 * delivered twice. To receive them, export from the entry file:
 * `export async function onStripeEvent(event: StripeEvent, env: AppEnv<typeof tables>) { … }` — throw to have Stripe retry later.
 */
export interface StripeEvent {
  id: string;
  /** e.g. "checkout.session.completed", "invoice.paid", "customer.subscription.deleted". */
  type: OrNewer<"checkout.session.completed" | "invoice.paid" | "invoice.payment_failed" | "customer.subscription.created" | "customer.subscription.updated" | "customer.subscription.deleted" | "charge.refunded">;
  created: number;
  livemode: boolean;
  /** The object the event is about (a Checkout Session, an Invoice…), as Stripe sent it. */
  data: { object: { id: string; object: string; [field: string]: unknown } };
}
