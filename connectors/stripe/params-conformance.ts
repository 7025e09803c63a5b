// Compile-time proof that every parameter name index.d.ts offers exists in the
// official SDK's parameter types, at any depth. client.ts already checks value
// types by passing our params to the SDK, but TypeScript lets a misspelt
// optional key through that check; this file does not. Type-only: emits nothing.
import type Stripe from "stripe";
import type * as Api from "./index";

/** Objects inside `T`, looking through arrays, null and Stripe's "" (unset). */
type ObjectIn<T> = T extends readonly (infer Item)[] ? ObjectIn<Item> : T extends object ? T : never;

/** Dotted paths of the keys of `Ours` that `Theirs` does not have; `never` when all exist. */
type UnknownKeys<Ours, Theirs> = Ours extends unknown
  ? {
      [K in keyof Ours & string]-?: K extends keyof ObjectIn<Theirs>
        ? NestedUnknown<K, ObjectIn<NonNullable<Ours[K]>>, ObjectIn<ObjectIn<Theirs>[K]>>
        : K;
    }[keyof Ours & string]
  : never;

type NestedUnknown<K extends string, Ours, Theirs> = [Ours] extends [never]
  ? never
  : string extends keyof Ours
    ? never // a record such as metadata: any key is allowed
    : UnknownKeys<Ours, Theirs> extends infer Path extends string
      ? `${K}.${Path}`
      : never;

/** Fails to compile, naming the offending path, unless `Path` is `never`. */
type NoUnknownKeys<Path extends never> = Path;

export type ParamsConformance = [
  NoUnknownKeys<UnknownKeys<Api.CustomerParams, Stripe.CustomerCreateParams>>,
  NoUnknownKeys<UnknownKeys<Api.CustomerParams, Stripe.CustomerUpdateParams>>,
  NoUnknownKeys<UnknownKeys<Api.ListParams & { email?: string }, Stripe.CustomerListParams>>,
  NoUnknownKeys<UnknownKeys<{ query: string; limit?: number; page?: string }, Stripe.CustomerSearchParams>>,
  NoUnknownKeys<UnknownKeys<Api.ProductCreateParams, Stripe.ProductCreateParams>>,
  NoUnknownKeys<UnknownKeys<Api.ListParams & { active?: boolean }, Stripe.ProductListParams>>,
  NoUnknownKeys<UnknownKeys<Api.PriceCreateParams, Stripe.PriceCreateParams>>,
  NoUnknownKeys<UnknownKeys<Api.ListParams & Api.PriceFilter, Stripe.PriceListParams>>,
  NoUnknownKeys<UnknownKeys<Api.PaymentLinkCreateParams, Stripe.PaymentLinkCreateParams>>,
  NoUnknownKeys<UnknownKeys<Api.CheckoutSessionCreateParams, Stripe.Checkout.SessionCreateParams>>,
  NoUnknownKeys<UnknownKeys<Api.SubscriptionCreateParams, Stripe.SubscriptionCreateParams>>,
  NoUnknownKeys<UnknownKeys<Api.SubscriptionUpdateParams, Stripe.SubscriptionUpdateParams>>,
  NoUnknownKeys<
    UnknownKeys<
      NonNullable<Parameters<Api.StripeClient["subscriptions"]["cancel"]>[1]>,
      Stripe.SubscriptionCancelParams
    >
  >,
  NoUnknownKeys<UnknownKeys<Api.ListParams & Api.SubscriptionFilter, Stripe.SubscriptionListParams>>,
  NoUnknownKeys<UnknownKeys<Api.InvoiceCreateParams, Stripe.InvoiceCreateParams>>,
  NoUnknownKeys<
    UnknownKeys<
      NonNullable<Parameters<Api.StripeClient["invoices"]["finalizeInvoice"]>[1]>,
      Stripe.InvoiceFinalizeInvoiceParams
    >
  >,
  NoUnknownKeys<UnknownKeys<Api.ListParams & Api.InvoiceFilter, Stripe.InvoiceListParams>>,
  NoUnknownKeys<UnknownKeys<Api.InvoiceItemCreateParams, Stripe.InvoiceItemCreateParams>>,
  NoUnknownKeys<UnknownKeys<Api.RefundCreateParams, Stripe.RefundCreateParams>>,
];
