// Stripe's own snake_case names.
// Amounts in the smallest unit (1999 = $19.99), currency "usd", times in Unix seconds.

type OrNewer<T extends string> = T | (string & {});
/** ≤50 keys; on update "" removes a key. */
export type Metadata = Record<string, string>;
export type Address = Record<"line1" | "line2" | "city" | "state" | "postal_code" | "country", string | null>;

/** Newest first; next page: `starting_after` = last item's id. */
export interface List<T> { data: T[]; has_more: boolean }
/** Next page: pass `next_page` as `page`. */
export interface SearchResult<T> extends List<T> { next_page: string | null }
/** `limit` 1–100 (default 10). */
export interface ListParams { limit?: number; starting_after?: string }
/** Retrying with the same key returns the first result instead of acting twice (default: a new key per call). */
export interface WriteOptions { idempotencyKey?: string }

export interface Customer { id: string; email: string | null; name?: string | null; phone?: string | null; description: string | null; address?: Address | null; metadata: Metadata; created: number }
export interface CustomerParams { email?: string; name?: string; phone?: string; description?: string; address?: Partial<Record<keyof Address, string>>; metadata?: Metadata }

export interface Product { id: string; name: string; description: string | null; active: boolean; default_price?: string | null; metadata: Metadata; created: number }
export type Interval = "day" | "week" | "month" | "year";
export interface RecurringParams { interval: Interval; interval_count?: number }
export interface PriceData { currency: string; unit_amount: number; /** Omit for one-time. */ recurring?: RecurringParams }
export interface ProductCreateParams { name: string; description?: string; active?: boolean; metadata?: Metadata; /** Creates its first price too. */ default_price_data?: PriceData }

export interface Price {
  id: string; product: string; active: boolean; currency: string; unit_amount: number | null; type: OrNewer<"one_time" | "recurring">;
  recurring: { interval: OrNewer<Interval>; interval_count: number } | null; lookup_key: string | null; metadata: Metadata; created: number;
}
export interface PriceCreateParams extends PriceData {
  /** Or `product_data` to create one. */ product?: string; product_data?: { name: string };
  /** Your stable name; find with `prices.list({ lookup_keys })`. */ lookup_key?: string; nickname?: string; metadata?: Metadata;
}
export interface PriceFilter { product?: string; active?: boolean; type?: "one_time" | "recurring"; lookup_keys?: string[] }

/** A `price` id or inline `price_data`. */
export interface LineItemParams { price?: string; quantity: number; price_data?: PriceData & { product?: string; product_data?: { name: string; description?: string } } }

/** A reusable hosted payment page: share `url`. */
export interface PaymentLink { id: string; url: string; active: boolean; currency: string; metadata: Metadata }
export interface PaymentLinkCreateParams {
  line_items: LineItemParams[]; allow_promotion_codes?: boolean; metadata?: Metadata;
  /** Default: Stripe's confirmation page. */ after_completion?: { type: "redirect"; redirect: { url: string } };
}

/** Send the buyer to `url`; paid when `status` is "complete". */
export interface CheckoutSession {
  id: string; url: string | null; status: OrNewer<"open" | "complete" | "expired"> | null;
  payment_status: OrNewer<"paid" | "unpaid" | "no_payment_required">; amount_total: number | null; currency: string | null; client_reference_id: string | null;
  customer: string | null; customer_details: { email: string | null; name: string | null } | null;
  payment_intent: string | null; subscription: string | null; metadata: Metadata | null;
}
export interface CheckoutSessionCreateParams {
  /** "subscription" needs a recurring price. */ mode: "payment" | "subscription";
  line_items: LineItemParams[]; /** May contain {CHECKOUT_SESSION_ID}. */ success_url: string; cancel_url?: string;
  customer?: string; customer_email?: string; client_reference_id?: string;
  allow_promotion_codes?: boolean; subscription_data?: { trial_period_days?: number; metadata?: Metadata }; metadata?: Metadata;
}

export type SubscriptionStatus = "incomplete" | "incomplete_expired" | "trialing" | "active" | "past_due" | "canceled" | "unpaid" | "paused";
export type CollectionMethod = "charge_automatically" | "send_invoice";
export interface Subscription {
  id: string; customer: string; status: OrNewer<SubscriptionStatus>; cancel_at_period_end: boolean; cancel_at: number | null; canceled_at: number | null;
  items: List<{ id: string; price: Price; quantity?: number; current_period_start: number; current_period_end: number; metadata: Metadata }>;
  trial_end: number | null; latest_invoice: string | null; metadata: Metadata; created: number;
}
export interface SubscriptionCreateParams {
  customer: string; items: { price: string; quantity?: number }[]; trial_period_days?: number;
  /** "send_invoice" needs `days_until_due`. */ collection_method?: CollectionMethod; days_until_due?: number;
  /** "default_incomplete": start unpaid if no card. */ payment_behavior?: "allow_incomplete" | "default_incomplete" | "error_if_incomplete";
  cancel_at_period_end?: boolean; metadata?: Metadata;
}
export interface SubscriptionUpdateParams {
  /** Change (`id` + `price`/`quantity`), remove (`id` + `deleted`) or add (`price`). */ items?: { id?: string; price?: string; quantity?: number; deleted?: boolean }[];
  cancel_at_period_end?: boolean; proration_behavior?: "create_prorations" | "none" | "always_invoice"; metadata?: Metadata;
}
/** Default leaves out canceled ones. */
export interface SubscriptionFilter { customer?: string; price?: string; status?: SubscriptionStatus | "all" | "ended" }

export type InvoiceStatus = "draft" | "open" | "paid" | "uncollectible" | "void";
export interface Invoice {
  id: string; customer: string | null; status: OrNewer<InvoiceStatus> | null; number: string | null; currency: string; total: number; amount_due: number;
  hosted_invoice_url?: string | null; due_date: number | null; metadata: Metadata | null; created: number;
  lines: List<{ id: string; amount: number; currency: string; description: string | null; quantity: number | null }>;
}
export interface InvoiceCreateParams {
  customer: string; collection_method?: CollectionMethod; days_until_due?: number; description?: string; metadata?: Metadata;
}
export interface InvoiceFilter { customer?: string; subscription?: string; status?: InvoiceStatus }
export interface InvoiceItem { id: string; invoice: string | null; amount: number; currency: string; description: string | null }
export interface InvoiceItemCreateParams {
  customer: string; /** A draft invoice; omit to leave pending. */ invoice?: string;
  /** `amount` + `currency`, or `pricing.price` × `quantity`. */ amount?: number; currency?: string; pricing?: { price: string }; quantity?: number;
  description?: string; metadata?: Metadata;
}

export interface Refund { id: string; amount: number; currency: string; status: string | null; payment_intent: string | null }
/** `amount` defaults to all that is left. */
export interface RefundCreateParams { payment_intent?: string; charge?: string; amount?: number; reason?: "duplicate" | "fraudulent" | "requested_by_customer" }

/** `listAll` walks every page (`for await`). */
export interface Resource<T, CreateParams, Filter> {
  create(params: CreateParams, options?: WriteOptions): Promise<T>;
  retrieve(id: string): Promise<T>;
  list(params?: ListParams & Filter): Promise<List<T>>;
  listAll(params?: Filter): AsyncIterable<T>;
}
type Create<T, P> = { create(params: P, options?: WriteOptions): Promise<T> };

export interface StripeClient {
  customers: Resource<Customer, CustomerParams, { email?: string }> & {
    update(id: string, params: CustomerParams, options?: WriteOptions): Promise<Customer>;
    /** e.g. "email:'a@b.com' AND metadata['plan']:'pro'"; `~` means contains. */
    search(params: { query: string; limit?: number; page?: string }): Promise<SearchResult<Customer>>;
    searchAll(params: { query: string }): AsyncIterable<Customer>;
  };
  products: Resource<Product, ProductCreateParams, { active?: boolean }>;
  prices: Resource<Price, PriceCreateParams, PriceFilter>;
  paymentLinks: Create<PaymentLink, PaymentLinkCreateParams>;
  checkout: { sessions: Pick<Resource<CheckoutSession, CheckoutSessionCreateParams, object>, "create" | "retrieve"> };
  subscriptions: Resource<Subscription, SubscriptionCreateParams, SubscriptionFilter> & {
    update(id: string, params: SubscriptionUpdateParams, options?: WriteOptions): Promise<Subscription>;
    /** Ends it now; at period end: `update(id, { cancel_at_period_end: true })`. */
    cancel(id: string, params?: { cancellation_details?: { comment?: string } }): Promise<Subscription>;
  };
  /** `create` makes a draft: add `invoiceItems`, then `finalizeInvoice`. */
  invoices: Resource<Invoice, InvoiceCreateParams, InvoiceFilter> & { finalizeInvoice(id: string, params?: { auto_advance?: boolean }, options?: WriteOptions): Promise<Invoice> };
  invoiceItems: Create<InvoiceItem, InvoiceItemCreateParams>;
  refunds: Create<Refund, RefundCreateParams>;
}

export declare const stripe: StripeClient;

export type StripeErrorType = "invalid_request_error" | "card_error" | "idempotency_error" | "api_error" | "authentication_error" | "permission_error" | "rate_limit_error" | "connection_error";
/** `message` says what to do; `status` 0: Stripe not reached. */
export declare class StripeError extends Error {
  private constructor(init: never);
  readonly type: StripeErrorType; readonly status: number; /** e.g. "resource_missing", "card_declined". */ readonly code: string | null;
  readonly param: string | null; readonly stripeMessage: string; readonly requestId: string | null;
}

/** Export `onStripeEvent(event: StripeEvent, env)` from the entry file to get verified events once; throw to retry. */
export interface StripeEvent {
  id: string; created: number;
  type: OrNewer<"checkout.session.completed" | "invoice.paid" | "invoice.payment_failed" | "customer.subscription.deleted">;
  data: { object: { id: string; object: string; [field: string]: unknown } };
}
