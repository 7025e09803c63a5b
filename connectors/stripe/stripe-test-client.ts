// Shared by the Stripe tests: the in-app client wired to the Stripe fake through
// a fetch that does what the egress proxy does, plus the fake's control endpoints.
import { env } from "cloudflare:test";
import type { RecordedRequest } from "../types";
import { fakeRequests } from "../testing/fake-requests";
import { proxyLikeFetch } from "../testing/proxy-like-fetch";
import { createStripeClient } from "./client";
import { FAKE_STRIPE_SECRET_KEY } from "./fake/credentials";
import type { StripeApi } from "./index";
import { stripeRule } from "./rule";

/** Base URL of the running Stripe fake. */
export function fakeBase(): string {
  if (!env.STRIPE_API_BASE) throw new Error("STRIPE_API_BASE is not set: the Stripe fake did not start");
  return env.STRIPE_API_BASE;
}

/** A client as an app has it, whose calls go out through the proxy-like fetch with `key`. */
export function clientWith(key = FAKE_STRIPE_SECRET_KEY): { stripe: StripeApi; sentByApp: Request[] } {
  const sentByApp: Request[] = [];
  const proxied = proxyLikeFetch(stripeRule, { upstreamBase: fakeBase(), credential: key });
  const stripe = createStripeClient({
    fetch: async (input, init) => {
      sentByApp.push(new Request(input, init));
      return proxied(input, init);
    },
  });
  return { stripe, sentByApp };
}

/** Requests the fake received whose path (and query) starts with `prefix`, oldest first. */
export function recorded(pathPrefix: string): Promise<RecordedRequest[]> {
  return fakeRequests(fakeBase(), pathPrefix);
}

/** The form body of a recorded request as ordered key/value pairs, decoded (none when it was not found). */
export function formPairs(request: RecordedRequest | undefined): [string, string][] {
  return [...new URLSearchParams(request?.body ?? "")];
}

/** Plays the buyer paying on Stripe's checkout page. */
export async function completeCheckout(sessionId: string): Promise<void> {
  const response = await fetch(`${fakeBase()}/__fake/checkout/sessions/${sessionId}/complete`, { method: "POST" });
  if (!response.ok) throw new Error(`completing ${sessionId} failed: ${response.status} ${await response.text()}`);
}

/** A string no other test uses, so tests sharing the fake never see each other's objects. */
export function unique(label: string): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Collects an async iterable (every page of a list or search). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The rejection of `promise`, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** The id of a field Stripe may expand (`string | Customer`); these tests never expand, so it is the id. */
export function idOf(field: string | { id?: string } | null | undefined): string {
  if (typeof field === "string") return field;
  if (field?.id) return field.id;
  throw new Error(`expected an id, got ${JSON.stringify(field)}`);
}
