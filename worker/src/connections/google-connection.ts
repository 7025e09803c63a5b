// Connecting Google: PUT starts an authorization-code flow with PKCE; the
// callback checks the state, exchanges the code with the verifier and stores
// the tokens.
import { googleRule } from "../../../connectors/google/rule";
import type { CurrentUser } from "../core/records";
import { recordAudit } from "../audit/audit-log";
import type { Env } from "../core/env";
import { ApiError } from "../core/errors";
import { upstreamUrl } from "./connector-catalog";
import {
  type ConnectionRecord,
  findConnectionFor,
  findOwnedConnection,
  newConnectionId,
  upsertConnectionStatement,
} from "./connection-repository";
import { connectionKeyring, guardVault, storeCredentialStatement } from "./connection-secrets";
import { googleClientFor, googleEndpoints } from "./google-client";
import { authorizationUrl, exchangeCode, newPkcePair } from "./google-oauth";
import { startFlow, takeFlow } from "./oauth-flows";

/** Path of the redirect URI Kiln registers with Google (on the platform's origin). */
export const GOOGLE_CALLBACK_PATH = "/api/connections/google/callback";

/** What the owner opens to grant access, and until when it works. */
export interface StartedGoogleConnection {
  authorizationUrl: string;
  expiresAt: string;
}

/** Starts the flow: the returned URL leads the owner to Google's consent screen. */
export async function startGoogleConnection(
  env: Env,
  owner: CurrentUser,
  options: { demo: boolean; returnTo: string | null; origin: string },
): Promise<StartedGoogleConnection> {
  const client = googleClientFor(env, options.demo);
  const keyring = await connectionKeyring(env);
  const pkce = await newPkcePair();
  const redirectUri = `${options.origin}${GOOGLE_CALLBACK_PATH}`;
  const started = await guardVault(() =>
    startFlow(
      env,
      keyring,
      { ownerId: owner.id, connector: "google", redirectUri, returnTo: options.returnTo, demo: options.demo },
      pkce.verifier,
    ),
  );
  return {
    authorizationUrl: authorizationUrl(googleEndpoints(env), client, {
      redirectUri,
      state: started.state,
      challenge: pkce.challenge,
    }),
    expiresAt: started.expiresAt,
  };
}

/** The query Google (or the fake) sends the owner's browser back with. */
export interface CallbackQuery {
  state?: string;
  code?: string;
  error?: string;
}

/** How a callback ended; `returnTo` is where the owner asked to land afterwards, if anywhere. */
export type CallbackOutcome = { returnTo: string | null } & (
  | { connection: ConnectionRecord; error: null }
  | { connection: null; error: ApiError }
);

/** Finishes the flow `state` names for this owner. Errors before the flow is known are thrown; later ones are returned. */
export async function finishGoogleConnection(
  env: Env,
  owner: CurrentUser,
  query: CallbackQuery,
): Promise<CallbackOutcome> {
  if (!query.state)
    throw new ApiError(
      400,
      "bad_request",
      "Google's answer has no state, so Kiln cannot tell which sign-in it belongs to. Start connecting Google again.",
    );
  const keyring = await connectionKeyring(env);
  const state = query.state;
  const taken = await guardVault(() => takeFlow(env, keyring, owner.id, state));
  if (!taken) {
    throw new ApiError(
      400,
      "bad_request",
      "This Google sign-in has expired, was already used, or was started from another Kiln account. Start connecting Google again.",
    );
  }
  const { flow, verifier } = taken;
  const fail = (status: 400 | 502, code: "bad_request" | "upstream_failed", message: string): CallbackOutcome => ({
    returnTo: flow.returnTo,
    connection: null,
    error: new ApiError(status, code, message),
  });
  if (query.error) {
    const reason = /^[a-z_]{1,40}$/.test(query.error) ? ` (${query.error})` : "";
    return fail(
      400,
      "bad_request",
      `Google did not grant access${reason}. Start connecting Google again and allow access.`,
    );
  }
  if (!query.code)
    return fail(400, "bad_request", "Google's answer has no authorization code. Start connecting Google again.");

  const result = await exchangeCode(googleEndpoints(env), googleClientFor(env, flow.demo), {
    code: query.code,
    verifier,
    redirectUri: flow.redirectUri,
  });
  if (!result.ok) {
    if (result.kind === "invalid_grant")
      return fail(
        400,
        "bad_request",
        "Google refused the sign-in code (it expired or was already used). Start connecting Google again.",
      );
    return fail(502, "upstream_failed", `Google refused to finish the sign-in: ${result.message}`);
  }
  const { tokens } = result;
  if (!tokens.refreshToken) {
    return fail(
      502,
      "upstream_failed",
      "Google did not grant offline access (no refresh token), so apps could not keep using it. Start connecting Google again.",
    );
  }
  const account = await googleAccountEmail(env, tokens.accessToken);
  const expiresAt = new Date(Date.now() + tokens.expiresInSeconds * 1000).toISOString();
  const scope = tokens.scope ?? "";
  const existing = await findConnectionFor(env.DB, owner.id, "google");
  const id = existing?.id ?? newConnectionId();
  await env.DB.batch([
    await storeCredentialStatement(env, keyring, owner.id, id, {
      kind: "oauth2",
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt,
      scope,
    }),
    upsertConnectionStatement(env.DB, id, owner.id, "google", {
      demo: flow.demo,
      secretLast4: "",
      account,
      scopes: scope || null,
      accessExpiresAt: expiresAt,
    }),
  ]);
  await recordAudit(env.DB, {
    userId: owner.id,
    action: "connection.connect",
    detail: { connectionId: id, connector: "google", demo: flow.demo, replaced: existing !== null },
  });
  return { returnTo: flow.returnTo, connection: (await findOwnedConnection(env.DB, owner.id, id))!, error: null };
}

// The rule's check call (userinfo) names the account; the owner sees which Google account apps act as.
async function googleAccountEmail(env: Env, accessToken: string): Promise<string | null> {
  try {
    const response = await fetch(upstreamUrl(env, googleRule, googleRule.check.host, googleRule.check.path), {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    const body = (await response.json()) as { email?: unknown };
    return typeof body.email === "string" ? body.email.slice(0, 254) : null;
  } catch {
    return null;
  }
}
