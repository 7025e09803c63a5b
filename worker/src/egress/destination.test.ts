import { describe, expect, it } from "vitest";
import type { ConnectorRule } from "../../../connectors/types";
import { judgeDestination } from "./destination";

const stripe: ConnectorRule = {
  id: "stripe",
  label: "Stripe",
  kind: "api_key",
  hosts: ["api.stripe.com"],
  upstreamVar: "STRIPE_API_BASE",
  inject: { header: "authorization", scheme: "Bearer" },
  check: { method: "GET", host: "api.stripe.com", path: "/v1/balance" },
};

function host(url: string): string | null {
  const verdict = judgeDestination(url, [stripe]);
  return verdict.allowed ? verdict.host : null;
}

describe("judgeDestination", () => {
  it("allows the exact host of a declared connector, in any letter case", () => {
    expect(host("https://api.stripe.com/v1/customers?limit=3")).toBe("api.stripe.com");
    expect(host("https://API.Stripe.COM/v1/customers")).toBe("api.stripe.com");
  });

  it("treats the explicit default port as the address it is", () => {
    expect(host("https://api.stripe.com:443/v1/customers")).toBe("api.stripe.com");
  });

  it("treats a single trailing dot as the same host, and nothing else as it", () => {
    expect(host("https://api.stripe.com./v1/customers")).toBe("api.stripe.com");
    expect(host("https://api.stripe.com../v1/customers")).toBeNull();
  });

  it.each([
    ["a look-alike suffix", "https://api.stripe.com.evil.test/v1/customers"],
    ["userinfo that reads like the host", "https://api.stripe.com@evil.test/v1/customers"],
    ["userinfo on the real host", "https://user:pass@api.stripe.com/v1/customers"],
    ["an explicit other port", "https://api.stripe.com:4443/v1/customers"],
    ["plain http", "http://api.stripe.com/v1/customers"],
    ["a Cyrillic look-alike", "https://аpi.stripe.com/v1/customers"],
    ["a punycode name", "https://xn--pi-7kc.stripe.com/v1/customers"],
    ["a subdomain of the allowed host", "https://files.api.stripe.com/v1"],
    ["a parent domain", "https://stripe.com/v1"],
    ["an IPv4 literal", "https://127.0.0.1/v1"],
    ["a decimal IPv4", "https://2130706433/v1"],
    ["a hex IPv4", "https://0x7f.0.0.1/v1"],
    ["an octal IPv4", "https://0177.0.0.1/v1"],
    ["an IPv6 literal", "https://[::1]/v1"],
    ["an IPv4-mapped IPv6", "https://[::ffff:169.254.169.254]/latest/meta-data"],
    ["a metadata address", "https://169.254.169.254/latest/meta-data"],
    ["not a URL", "not a url"],
  ])("refuses %s", (_what, url) => {
    const verdict = judgeDestination(url, [stripe]);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason.length).toBeGreaterThan(10);
  });

  it("says which hosts the app may call when it calls another", () => {
    const verdict = judgeDestination("https://example.com/", [stripe]);
    expect(verdict).toEqual({
      allowed: false,
      reason: "network access to example.com is not allowed for this app (it may call api.stripe.com)",
    });
    expect(judgeDestination("https://api.stripe.com/", [])).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("uses no connectors"),
    });
  });
});
