// Demo connections (`npm start`): backed by the local fakes' credentials,
// offered only when KILN_DEMO_CONNECTIONS is "1" and the fakes' base URLs are
// set, so a demo can never send a fake credential to a real service.
import { googleOAuthEndpoints } from "../../../connectors/google/oauth";
import { AIRTABLE_FAKE_TOKEN } from "../../../connectors/airtable/fake/credentials";
import { FAKE_STRIPE_SECRET_KEY } from "../../../connectors/stripe/fake/credentials";
import type { ConnectorId } from "../../../connectors/types";
import type { Env } from "../core/env";
import { ApiError } from "../core/errors";
import { CONNECTOR_RULES, upstreamOverride } from "./connector-catalog";
import type { ApiKeyConnectorId } from "./key-format";

/** Whether demo connections of `connector` can be made on this Kiln right now. */
export function demoAvailable(env: Env, connector: ConnectorId): boolean {
  // AI needs no demo connection: with no key at all, apps' AI calls are answered by the deterministic demo model.
  if (env.KILN_DEMO_CONNECTIONS !== "1" || connector === "ai") return false;
  if (upstreamOverride(env, CONNECTOR_RULES[connector].upstreamVar) === null) return false;
  return connector !== "google" || upstreamOverride(env, googleOAuthEndpoints.baseVar) !== null;
}

/** Refuses a demo request unless demo connections of `connector` are offered. */
export function requireDemo(env: Env, connector: ConnectorId): void {
  if (connector === "ai") throw noDemoOfAi();
  if (env.KILN_DEMO_CONNECTIONS !== "1") {
    throw new ApiError(
      400,
      "bad_request",
      "Demo connections are not offered on this Kiln: connect with your own credentials.",
    );
  }
  if (!demoAvailable(env, connector)) {
    throw new ApiError(
      503,
      "internal",
      `The local ${CONNECTOR_RULES[connector].label} fake is not running, so a demo connection cannot be made. Start Kiln with npm start.`,
    );
  }
}

/** The fake's key behind a demo Stripe or Airtable connection. */
export function demoApiKey(connector: ApiKeyConnectorId): string {
  if (connector === "ai") throw noDemoOfAi();
  return connector === "stripe" ? FAKE_STRIPE_SECRET_KEY : AIRTABLE_FAKE_TOKEN;
}

function noDemoOfAi(): ApiError {
  return new ApiError(
    400,
    "bad_request",
    "AI needs no demo connection: without a key of yours, apps' AI calls are answered by Kiln's model or its demo model.",
  );
}
