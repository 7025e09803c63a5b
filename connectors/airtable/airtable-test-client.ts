// Shared by the Airtable tests: the in-app client wired to the Airtable fake through
// a fetch that does what the egress proxy does, a base of a test's own, and the fake's log.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import type { RecordedRequest } from "../types";
import { fakeRequests } from "../testing/fake-requests";
import { proxyLikeFetch } from "../testing/proxy-like-fetch";
import { AirtableError, createAirtableClient } from "./client";
import { AIRTABLE_FAKE_TOKEN } from "./fake/credentials";
import type { AirtableClient } from "./index";
import { airtableRule } from "./rule";

/** Base URL of the running Airtable fake. */
export function fakeBase(): string {
  if (!env.AIRTABLE_API_BASE) throw new Error("AIRTABLE_API_BASE is not set: the Airtable fake did not start");
  return env.AIRTABLE_API_BASE;
}

/** What left the isolate, before the proxy touched it (every client of `clientWith`). */
export const sentByApp: Request[] = [];

/** A client as an app has it, whose calls go out through the proxy-like fetch with `token`. */
export function clientWith(token = AIRTABLE_FAKE_TOKEN): AirtableClient {
  const proxied = proxyLikeFetch(airtableRule, { upstreamBase: fakeBase(), credential: token });
  return createAirtableClient({
    fetch: async (input, init) => {
      sentByApp.push(new Request(input, init));
      return proxied(input, init);
    },
  });
}

/** Requests the fake received whose path (and query) starts with `pathPrefix`, oldest first. */
export function recorded(pathPrefix: string): Promise<RecordedRequest[]> {
  return fakeRequests(fakeBase(), pathPrefix);
}

/** A base of a test group's own, made straight at the fake, so tests sharing the fake never see each other's rows. */
export async function newBase(name: string, tables: unknown[]): Promise<string> {
  const fetchFn = proxyLikeFetch(airtableRule, { upstreamBase: fakeBase(), credential: AIRTABLE_FAKE_TOKEN });
  const response = await fetchFn("https://api.airtable.com/v0/meta/bases", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, workspaceId: "wspKilnFakeSpace1", tables }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

/** The AirtableError `promise` rejects with (fails the test if it resolves or throws something else). */
export async function caught(promise: Promise<unknown>): Promise<AirtableError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AirtableError);
  return error as AirtableError;
}
