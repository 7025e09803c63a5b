import type { ConnectorRule } from "../../../connectors/types";

/** Where an app's outbound call may go, or why it may not (in words its owner can act on). */
export type DestinationVerdict =
  | { allowed: true; rule: ConnectorRule; host: string; url: URL }
  | { allowed: false; reason: string };

/**
 * Decides whether an outbound URL of an app goes to one of the connectors it
 * declared. Only an exact host match after normalisation counts: every
 * trick that makes a URL look like an allowed host without being it (userinfo,
 * ports, trailing dots, IP literals in any notation, look-alike letters) is
 * refused rather than guessed at.
 */
export function judgeDestination(rawUrl: string, rules: readonly ConnectorRule[]): DestinationVerdict {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { allowed: false, reason: "the address is not a valid URL" };
  }
  // WHATWG parsing has already lower-cased the host, turned IDN into punycode and every IPv4 notation into dotted decimal.
  const host = url.hostname.endsWith(".") ? url.hostname.slice(0, -1) : url.hostname;
  if (url.protocol !== "https:")
    return { allowed: false, reason: `only https:// addresses can be called (got ${url.protocol}//${host})` };
  if (url.username !== "" || url.password !== "")
    return { allowed: false, reason: `addresses with a user name or password in them are not allowed (${host})` };
  if (url.port !== "")
    return { allowed: false, reason: `addresses with an explicit port are not allowed (${host}:${url.port})` };
  if (isIpLiteral(host)) return { allowed: false, reason: `calling an IP address directly is not allowed (${host})` };
  if (host.split(".").some((label) => label.startsWith("xn--")))
    return { allowed: false, reason: `${host} uses look-alike (non-ASCII) letters and is not allowed` };
  const rule = rules.find((candidate) => candidate.hosts.includes(host));
  if (!rule) return { allowed: false, reason: notAllowedReason(host, rules) };
  return { allowed: true, rule, host, url };
}

function notAllowedReason(host: string, rules: readonly ConnectorRule[]): string {
  if (rules.length === 0) return `network access to ${host} is not allowed for this app (it uses no connectors)`;
  return `network access to ${host} is not allowed for this app (it may call ${rules.flatMap((r) => r.hosts).join(", ")})`;
}

/** True for a host that is an IPv4 address (as URL parsing normalises it) or a bracketed IPv6 address. */
export function isIpLiteral(host: string): boolean {
  return host.startsWith("[") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

// Names that resolve to the machine itself or to cloud metadata services.
const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/;

/**
 * True for destinations that must never be reached from app code: loopback,
 * private, link-local, carrier-grade NAT, metadata and internal names.
 * Applied to upstream hosts and redirect targets too.
 */
export function isPrivateDestination(host: string): boolean {
  const name = host.endsWith(".") ? host.slice(0, -1).toLowerCase() : host.toLowerCase();
  if (INTERNAL_NAMES.test(name) || name === "metadata.google.internal") return true;
  if (name.startsWith("[")) return isPrivateIpv6(name.slice(1, -1));
  const parts = name.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return false;
  const [a, b] = parts as [number, number, number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

function isPrivateIpv6(address: string): boolean {
  const lower = address.toLowerCase();
  if (lower === "::" || lower === "::1") return true;
  // IPv4-mapped and -compatible forms carry an IPv4 address in the last 32 bits.
  const mapped = /^::(ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (mapped) {
    const high = parseInt(mapped[2]!, 16);
    const low = parseInt(mapped[3]!, 16);
    return isPrivateDestination(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  const dotted = /^::(ffff:)?(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return isPrivateDestination(dotted[2]!);
  return /^(fc|fd|fe8|fe9|fea|feb|ff)/.test(lower);
}
