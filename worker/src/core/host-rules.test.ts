// The hosts Kiln refuses to be pointed at, whoever picks the URL (an app's call, an owner's alert webhook).
import { describe, expect, it } from "vitest";
import { hasLookAlikeLabel, isIpLiteral, isPrivateDestination } from "./host-rules";

describe("isPrivateDestination", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[fd00::1]",
    "[fe80::1]",
    "localhost",
    "app.localhost",
    "metadata.google.internal",
    "printer.local",
    "nas.lan",
    "wiki.corp",
  ])("is true for %s", (h) => expect(isPrivateDestination(h)).toBe(true));

  it.each(["api.stripe.com", "8.8.8.8", "172.32.0.1", "[2606:4700::1111]"])("is false for %s", (h) =>
    expect(isPrivateDestination(h)).toBe(false),
  );
});

describe("address and look-alike checks", () => {
  it("tell IP literals and punycode labels from names", () => {
    expect(isIpLiteral("10.0.0.1")).toBe(true);
    expect(isIpLiteral("[::1]")).toBe(true);
    expect(isIpLiteral("hooks.example.com")).toBe(false);
    expect(hasLookAlikeLabel("xn--strpe-9ua.com")).toBe(true);
    expect(hasLookAlikeLabel("hooks.example.com")).toBe(false);
  });
});
