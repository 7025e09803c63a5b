// /v1/customers: create, retrieve, update, delete, list (filter by email,
// created) and search (`email:'…'`, `name~'…'`, `phone`, `created`, `metadata['k']`).
import { byCreated, readCreatedFilter, searchPage } from "./listing.ts";
import type { FakeCustomer, FakeDeletedCustomer, FakeSearchResult } from "./objects.ts";
import { applyMetadata, type Params } from "./params.ts";
import { route, type FakeRoute } from "./routing.ts";
import type { SearchFields } from "./search-query.ts";
import { listPage, mustFind, newId, nowSeconds, type FakeStripeState } from "./store.ts";
import { invalidParam } from "./stripe-errors.ts";

type Address = NonNullable<FakeCustomer["address"]>;

/** Reads an `address[…]` hash; Stripe fills the missing parts with null. */
export function readAddress(params: Params | undefined): Address | undefined {
  if (params === undefined) return undefined;
  const address: Address = {
    city: params.string("city") ?? null,
    country: params.string("country") ?? null,
    line1: params.string("line1") ?? null,
    line2: params.string("line2") ?? null,
    postal_code: params.string("postal_code") ?? null,
    state: params.string("state") ?? null,
  };
  params.done();
  return address;
}

function readEmail(params: Params): string | null | undefined {
  const email = params.nullableString("email");
  // Stripe checks the form loosely: something@something.
  if (typeof email === "string" && !/^[^\s@]+@[^\s@]+$/.test(email))
    throw invalidParam("email", `Invalid email address: ${email}`, "email_invalid");
  if (typeof email === "string" && email.length > 512)
    throw invalidParam("email", "Email addresses must be at most 512 characters long", "email_invalid");
  return email;
}

/** The fields create and update share; `undefined` means "not sent". */
function readCustomerFields(params: Params) {
  return {
    email: readEmail(params),
    name: params.nullableString("name"),
    phone: params.nullableString("phone"),
    description: params.nullableString("description"),
    address: params.cleared("address") ? null : readAddress(params.hash("address")),
    metadata: params.metadata(),
    preferredLocales: params.stringList("preferred_locales"),
  };
}

/** A new customer object with Stripe's defaults for everything not given. */
export function newCustomer(
  fields: Partial<
    Pick<
      FakeCustomer,
      "address" | "balance" | "currency" | "description" | "email" | "metadata" | "name" | "phone" | "preferred_locales"
    >
  >,
): FakeCustomer {
  return {
    id: newId("cus", 14),
    object: "customer",
    address: fields.address ?? null,
    balance: fields.balance ?? 0,
    created: nowSeconds(),
    currency: fields.currency ?? null,
    default_source: null,
    delinquent: false,
    description: fields.description ?? null,
    email: fields.email ?? null,
    invoice_prefix: newId("x", 8).slice(2).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: fields.metadata ?? {},
    name: fields.name ?? null,
    phone: fields.phone ?? null,
    preferred_locales: fields.preferred_locales ?? [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
}

/** The fields Stripe lets customers be searched by. */
const searchFields: SearchFields<FakeCustomer> = {
  email: (customer) => customer.email,
  name: (customer) => customer.name ?? null,
  phone: (customer) => customer.phone ?? null,
  created: (customer) => customer.created,
  metadata: () => null,
};

/** Deletes a customer for good; Stripe also cancels its subscriptions at once. */
function deleteCustomer(state: FakeStripeState, id: string): void {
  state.customers.delete(id);
  state.deletedCustomers.add(id);
  const now = nowSeconds();
  for (const subscription of state.subscriptions.values()) {
    if (subscription.customer !== id || subscription.status === "canceled") continue;
    subscription.status = "canceled";
    subscription.canceled_at = now;
    subscription.ended_at = now;
    subscription.cancellation_details = {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: "cancellation_requested",
    };
  }
}

/** Create, list, search, retrieve, update and delete. */
export const customerRoutes: FakeRoute[] = [
  route("POST", "/v1/customers", ({ state, params }) => {
    const fields = readCustomerFields(params);
    const balance = params.integer("balance") ?? 0;
    params.done();
    const customer = newCustomer({
      address: fields.address ?? null,
      balance,
      description: fields.description ?? null,
      email: fields.email ?? null,
      metadata: applyMetadata({}, fields.metadata),
      name: fields.name ?? null,
      phone: fields.phone ?? null,
      preferred_locales: fields.preferredLocales ?? [],
    });
    state.customers.set(customer.id, customer);
    return customer;
  }),

  // `email` is an exact, case-sensitive match, as Stripe's list filter is (search is the forgiving one).
  route("GET", "/v1/customers", ({ state, params }) => {
    const created = readCreatedFilter(params);
    const email = params.string("email");
    const all = byCreated(state.customers.values()).filter(
      (customer) => created(customer.created) && (email === undefined || customer.email === email),
    );
    const page = listPage(all, params, "/v1/customers", "customer");
    params.done();
    return page;
  }),

  route(
    "GET",
    "/v1/customers/search",
    ({ state, params }): FakeSearchResult<FakeCustomer> =>
      searchPage(byCreated(state.customers.values()).reverse(), params, {
        resource: "customers",
        url: "/v1/customers/search",
        fields: searchFields,
      }),
  ),

  // A deleted customer still answers, as a stub; updating or deleting it again is a 404.
  route("GET", "/v1/customers/:id", ({ state, params, ids: [id = ""] }): FakeCustomer | FakeDeletedCustomer => {
    params.done();
    if (state.deletedCustomers.has(id)) return { id, object: "customer", deleted: true };
    return mustFind(state.customers, id, "customer");
  }),

  route("POST", "/v1/customers/:id", ({ state, params, ids: [id = ""] }) => {
    const customer = mustFind(state.customers, id, "customer");
    const fields = readCustomerFields(params);
    const balance = params.integer("balance");
    params.done();
    const updated: FakeCustomer = {
      ...customer,
      ...(fields.email !== undefined && { email: fields.email }),
      ...(fields.name !== undefined && { name: fields.name }),
      ...(fields.phone !== undefined && { phone: fields.phone }),
      ...(fields.description !== undefined && { description: fields.description }),
      ...(fields.address !== undefined && { address: fields.address }),
      ...(fields.preferredLocales !== undefined && { preferred_locales: fields.preferredLocales }),
      ...(balance !== undefined && { balance }),
      metadata: applyMetadata(customer.metadata, fields.metadata),
    };
    state.customers.set(id, updated);
    return updated;
  }),

  route("DELETE", "/v1/customers/:id", ({ state, params, ids: [id = ""] }): FakeDeletedCustomer => {
    params.done();
    mustFind(state.customers, id, "customer");
    deleteCustomer(state, id);
    return { id, object: "customer", deleted: true };
  }),
];
