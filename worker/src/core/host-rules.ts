// Host names and addresses Kiln refuses to call, one set of rules for every place an outside party picks a URL:
// an app's outbound calls (egress/destination.ts) and an owner's alert webhook (alerts/alert-webhook.ts).

/** True when a label of `host` is punycode (`xn--`): letters that look like ASCII ones but are not. */
export function hasLookAlikeLabel(host: string): boolean {
  return host.split(".").some((label) => label.startsWith("xn--"));
}

/** True for a host that is an IPv4 address (as URL parsing normalises it) or a bracketed IPv6 address. */
export function isIpLiteral(host: string): boolean {
  return host.startsWith("[") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

// Names that resolve to the machine itself, its network or cloud metadata services.
const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa|intranet|lan|corp)$/;

/**
 * True for destinations Kiln must never be made to call (an owner's alert webhook, say): loopback,
 * private, link-local, carrier-grade NAT, metadata and internal names. It cannot see what a public
 * name resolves to.
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
