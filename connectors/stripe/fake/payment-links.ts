// /v1/payment_links: a shareable https://buy.stripe.com/test_… page selling
// fixed line items; each buyer gets a checkout session (checkout.ts). Create,
// retrieve, update (deactivate, metadata, what happens after paying), list
// (`active`) and list a link's line items. `line_items` is sent on a link only
// when expanded, as Stripe does.
import { lineItemList, readLineItems, withoutLineItemsUnlessExpanded } from "./line-items.ts";
import { linesPage } from "./listing.ts";
import type { FakePaymentLink } from "./objects.ts";
import { applyMetadata, readUrl, type Params } from "./params.ts";
import { route, type FakeRoute } from "./routing.ts";
import { listPage, mustFind, newId } from "./store.ts";
import { missingParam } from "./stripe-errors.ts";

/** Reads `after_completion[…]`: a confirmation message on Stripe's page, or a redirect to the seller's. */
function readAfterCompletion(params: Params): FakePaymentLink["after_completion"] {
  const type = params.oneOf("type", ["hosted_confirmation", "redirect"] as const);
  if (type === undefined) throw missingParam(params.nameOf("type"));
  const redirect = params.hash("redirect");
  const confirmation = params.hash("hosted_confirmation");
  params.done();
  if (type === "redirect") {
    if (redirect === undefined) throw missingParam(`${params.nameOf("redirect")}[url]`);
    const url = readUrl(redirect, "url");
    redirect.done();
    if (url === undefined) throw missingParam(redirect.nameOf("url"));
    return { type, redirect: { url } };
  }
  const customMessage = confirmation?.string("custom_message") ?? null;
  confirmation?.done();
  return { type, hosted_confirmation: { custom_message: customMessage } };
}

/** The settings create and update share; `undefined` means "not sent". */
function readSettings(params: Params) {
  const afterCompletion = params.hash("after_completion");
  return {
    after_completion: afterCompletion === undefined ? undefined : readAfterCompletion(afterCompletion),
    allow_promotion_codes: params.boolean("allow_promotion_codes"),
    billing_address_collection: params.oneOf("billing_address_collection", ["auto", "required"] as const),
    customer_creation: params.oneOf("customer_creation", ["always", "if_required"] as const),
    metadata: params.metadata(),
  };
}

/** Create, list, retrieve, update and list line items. */
export const paymentLinkRoutes: FakeRoute[] = [
  route("POST", "/v1/payment_links", ({ state, params, expand }) => {
    const items = readLineItems(state, params, "line_items", { max: 20, productData: true });
    const settings = readSettings(params);
    const inactiveMessage = params.string("inactive_message") ?? null;
    params.done();
    const id = newId("plink");
    const link: FakePaymentLink = {
      id,
      object: "payment_link",
      active: true,
      after_completion: settings.after_completion ?? {
        type: "hosted_confirmation",
        hosted_confirmation: { custom_message: null },
      },
      allow_promotion_codes: settings.allow_promotion_codes ?? false,
      billing_address_collection: settings.billing_address_collection ?? "auto",
      currency: items[0]?.price.currency ?? "usd",
      customer_creation: settings.customer_creation ?? "if_required",
      inactive_message: inactiveMessage,
      livemode: false,
      metadata: applyMetadata({}, settings.metadata),
      url: `https://buy.stripe.com/test_${newId("x", 14).slice(2)}`,
      line_items: lineItemList(state, items, `/v1/payment_links/${id}/line_items`).list,
    };
    state.paymentLinks.set(id, link);
    return withoutLineItemsUnlessExpanded(link, expand);
  }),

  route("GET", "/v1/payment_links", ({ state, params, expand }) => {
    const active = params.boolean("active");
    const all = [...state.paymentLinks.values()].filter((link) => active === undefined || link.active === active);
    const page = listPage(all, params, "/v1/payment_links", "payment_link");
    params.done();
    const withLineItems = expand.some((path) => path === "data.line_items" || path.startsWith("data.line_items."));
    return withLineItems ? page : { ...page, data: page.data.map((link) => withoutLineItemsUnlessExpanded(link, [])) };
  }),

  route("GET", "/v1/payment_links/:id", ({ state, params, expand, ids: [id = ""] }) => {
    params.done();
    return withoutLineItemsUnlessExpanded(mustFind(state.paymentLinks, id, "payment_link"), expand);
  }),

  // A deactivated link's page stops selling (showing `inactive_message`); it can be activated again.
  route("POST", "/v1/payment_links/:id", ({ state, params, expand, ids: [id = ""] }) => {
    const link = mustFind(state.paymentLinks, id, "payment_link");
    const active = params.boolean("active");
    const settings = readSettings(params);
    const inactiveMessage = params.nullableString("inactive_message");
    params.done();
    const updated: FakePaymentLink = {
      ...link,
      ...(active !== undefined && { active }),
      ...(settings.after_completion !== undefined && { after_completion: settings.after_completion }),
      ...(settings.allow_promotion_codes !== undefined && { allow_promotion_codes: settings.allow_promotion_codes }),
      ...(settings.billing_address_collection !== undefined && {
        billing_address_collection: settings.billing_address_collection,
      }),
      ...(settings.customer_creation !== undefined && { customer_creation: settings.customer_creation }),
      ...(inactiveMessage !== undefined && { inactive_message: inactiveMessage }),
      metadata: applyMetadata(link.metadata, settings.metadata),
    };
    state.paymentLinks.set(id, updated);
    return withoutLineItemsUnlessExpanded(updated, expand);
  }),

  route("GET", "/v1/payment_links/:id/line_items", ({ state, params, ids: [id = ""] }) => {
    const link = mustFind(state.paymentLinks, id, "payment_link");
    const page = linesPage(link.line_items.data, params, `/v1/payment_links/${id}/line_items`, "item");
    params.done();
    return page;
  }),
];
