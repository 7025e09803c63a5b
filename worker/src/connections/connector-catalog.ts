import { aiRule } from "../../../connectors/ai/rule";
import { airtableRule } from "../../../connectors/airtable/rule";
import { googleRule } from "../../../connectors/google/rule";
import { stripeRule } from "../../../connectors/stripe/rule";
import type { ConnectorId, ConnectorRule } from "../../../connectors/types";
import type { Env } from "../core/env";

/** Every connector an owner can connect, by id. */
export const CONNECTOR_RULES: Readonly<Record<ConnectorId, ConnectorRule>> = {
  stripe: stripeRule,
  airtable: airtableRule,
  google: googleRule,
  ai: aiRule,
};

// The upstream variables Env declares; a rule naming another one is a mistake caught here, not a silent real-host call.
const UPSTREAM_VARIABLES = [
  "STRIPE_API_BASE",
  "AIRTABLE_API_BASE",
  "GOOGLE_API_BASE",
  "GOOGLE_OAUTH_BASE",
  "AI_API_BASE",
] as const satisfies readonly (keyof Env)[];
type UpstreamVariable = (typeof UPSTREAM_VARIABLES)[number];

function isUpstreamVariable(name: string): name is UpstreamVariable {
  return (UPSTREAM_VARIABLES as readonly string[]).includes(name);
}

/** The override base URL in `variable` (no trailing slash), or null when unset: use the real service. */
export function upstreamOverride(env: Env, variable: string): string | null {
  if (!isUpstreamVariable(variable)) throw new Error(`connector rule names an unknown upstream variable ${variable}`);
  const value = env[variable]?.trim();
  return value ? value.replace(/\/+$/, "") : null;
}

/** The URL a request for `https://<host><path>` of this connector really goes to (the fake's, when overridden). */
export function upstreamUrl(env: Env, rule: ConnectorRule, host: string, pathAndQuery: string): string {
  const base = upstreamOverride(env, rule.upstreamVar);
  return `${base ?? `https://${host}`}${pathAndQuery}`;
}
