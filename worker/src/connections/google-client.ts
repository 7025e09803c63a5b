// The platform's Google OAuth client and the endpoints it talks to.
import { googleOAuthEndpoints } from "../../../connectors/google/oauth";
import { GOOGLE_FAKE_CLIENT_ID, GOOGLE_FAKE_CLIENT_SECRET } from "../../../connectors/google/fake/credentials";
import type { Env } from "../core/env";
import { ApiError } from "../core/errors";
import { upstreamOverride } from "./connector-catalog";

/** An OAuth client registered with Google (or with the fake, for demo connections). */
export interface GoogleClient {
  clientId: string;
  clientSecret: string;
}

/** Where authorization, token and revocation requests go. */
export interface GoogleEndpoints {
  authorization: string;
  token: string;
  revoke: string;
}

/** Whether the operator set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET. */
export function googleClientConfigured(env: Env): boolean {
  return Boolean(env.GOOGLE_CLIENT_ID?.trim() && env.GOOGLE_CLIENT_SECRET?.trim());
}

/** The client a connection uses: the fake's for demo connections, the platform's otherwise. */
export function googleClientFor(env: Env, demo: boolean): GoogleClient {
  if (demo) return { clientId: GOOGLE_FAKE_CLIENT_ID, clientSecret: GOOGLE_FAKE_CLIENT_SECRET };
  if (!googleClientConfigured(env)) {
    throw new ApiError(
      503,
      "internal",
      "Google cannot be connected on this Kiln yet: the operator must set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (a Google OAuth web client; see docs/vault.md).",
    );
  }
  return { clientId: env.GOOGLE_CLIENT_ID!.trim(), clientSecret: env.GOOGLE_CLIENT_SECRET!.trim() };
}

/** Google's OAuth endpoints, or the same paths on GOOGLE_OAUTH_BASE when set (the fake). */
export function googleEndpoints(env: Env): GoogleEndpoints {
  const base = upstreamOverride(env, googleOAuthEndpoints.baseVar);
  const at = (url: string) => (base ? `${base}${new URL(url).pathname}` : url);
  return {
    authorization: at(googleOAuthEndpoints.authorization),
    token: at(googleOAuthEndpoints.token),
    revoke: at(googleOAuthEndpoints.revoke),
  };
}
