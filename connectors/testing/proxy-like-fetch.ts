// What the egress proxy will do to an app's outbound call, for connector tests
// that run a client before the real proxy is wired in: allow only the rule's
// exact hosts, send the call to the fake upstream, inject the credential.
import type { ConnectorRule } from "../types.ts";

/** The `fetch` signature connector clients accept in their options. */
export type FetchFunction = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Where the rewritten calls go and which credential the proxy would inject. */
export interface ProxyLikeFetchOptions {
  /** Base URL of the fake upstream (the value of `env[rule.upstreamVar]`). */
  upstreamBase: string;
  /** The owner's credential for this connector (a fake one in tests). */
  credential: string;
}

/** Refusal for a host outside the rule, worded like the real proxy's. */
export class HostNotAllowedError extends Error {
  readonly hostname: string;
  constructor(hostname: string) {
    super(`network access to ${hostname} is not allowed for this app`);
    this.name = "HostNotAllowedError";
    this.hostname = hostname;
  }
}

/**
 * A `fetch` that behaves like the egress proxy for one connector: exact-host
 * allow-list, origin rewritten to the upstream base (path and query unchanged),
 * `Authorization: Bearer <credential>` set (replacing anything the app sent),
 * the rule's fixed headers added.
 */
export function proxyLikeFetch(rule: ConnectorRule, options: ProxyLikeFetchOptions): FetchFunction {
  const base = options.upstreamBase.replace(/\/+$/, "");
  return async (input, init) => {
    const original = new Request(input, init);
    const url = new URL(original.url);
    if (url.protocol !== "https:" || url.port !== "" || !rule.hosts.includes(url.hostname)) {
      throw new HostNotAllowedError(url.hostname);
    }
    const headers = new Headers(original.headers);
    for (const [name, value] of Object.entries(rule.fixedHeaders ?? {})) headers.set(name, value);
    headers.set(rule.inject.header, `${rule.inject.scheme} ${options.credential}`);
    return fetch(`${base}${url.pathname}${url.search}`, {
      method: original.method,
      headers,
      body: original.body,
      redirect: "manual",
    });
  };
}
