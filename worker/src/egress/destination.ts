import type { ConnectorRule } from "../../../connectors/types";
import { hasLookAlikeLabel, isIpLiteral } from "../core/host-rules";

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
  if (hasLookAlikeLabel(host))
    return { allowed: false, reason: `${host} uses look-alike (non-ASCII) letters and is not allowed` };
  const rule = rules.find((candidate) => candidate.hosts.includes(host));
  if (!rule) return { allowed: false, reason: notAllowedReason(host, rules) };
  return { allowed: true, rule, host, url };
}

function notAllowedReason(host: string, rules: readonly ConnectorRule[]): string {
  if (rules.length === 0) return `network access to ${host} is not allowed for this app (it uses no connectors)`;
  return `network access to ${host} is not allowed for this app (it may call ${rules.flatMap((r) => r.hosts).join(", ")})`;
}
