// `register` and `token` of Kiln's own OAuth for MCP clients: public clients register dynamically (RFC 7591), then
// trade a code (with its PKCE verifier) or a refresh token for an hour's access token and a new refresh token.
import { type AttemptKey, type AttemptRule, recordFailure, refuseWhenLimited } from "../../auth/attempt-limit";
import { findUser } from "../../auth/user-store";
import { readRegistration, registeredClient } from "../../oauth/client-registration";
import { oauthError, tokenAnswer } from "../../oauth/oauth-responses";
import { pkceChallenge } from "../../oauth/pkce";
import type { OwnerGrant } from "./owner-grants";
import {
  findOwnerClient,
  issueOwnerTokens,
  redeemOwnerCode,
  registerOwnerClient,
  spendOwnerRefreshToken,
} from "./owner-oauth-store";
import { OWNER_MCP_PATH } from "./owner-oauth-paths";

/** Registrations from one client address in an hour: a few assistants, not a flood of rows. */
const REGISTRATIONS_PER_ADDRESS: AttemptRule = { scope: "owner-mcp-register-ip", limit: 30, windowSeconds: 60 * 60 };
/** Registrations a minute from everywhere together, when no proxy names the client's address (locally, say). */
export const REGISTRATIONS_UNADDRESSED: AttemptRule = { scope: "owner-mcp-register-all", limit: 60, windowSeconds: 60 };

/** `POST /api/oauth/register`: a public client with its redirect URIs (counted per client address, else globally). */
export async function ownerRegister(db: D1Database, request: Request): Promise<Response> {
  const address = request.headers.get("cf-connecting-ip");
  const keys: AttemptKey[] = [
    address ? { rule: REGISTRATIONS_PER_ADDRESS, value: address } : { rule: REGISTRATIONS_UNADDRESSED, value: "all" },
  ];
  await refuseWhenLimited(db, keys);
  await recordFailure(db, keys);
  const registration = await readRegistration(request);
  if (registration instanceof Response) return registration;
  return registeredClient(await registerOwnerClient(db, registration), registration);
}

/** `POST /api/oauth/token`: `authorization_code` (with PKCE S256) or `refresh_token` (spent: rotation). */
export async function ownerToken(db: D1Database, request: Request): Promise<Response> {
  const form = await request.formData().catch(() => null);
  if (!form) return oauthError("invalid_request", "Send the token request as a form.");
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const resource = `${new URL(request.url).origin}${OWNER_MCP_PATH}`;
  if (field("resource") !== "" && field("resource") !== resource)
    return oauthError("invalid_target", `This server grants access to ${resource} only.`);
  const client = await findOwnerClient(db, field("client_id"));
  if (!client) return oauthError("invalid_client", "Kiln does not know that client; register again.", 401);
  let grant: OwnerGrant | null = null;
  if (field("grant_type") === "authorization_code") {
    // Checked before the code is spent: a wrong verifier (or client, or redirect URI) leaves it to its real client.
    const codeChallenge = await pkceChallenge(field("code_verifier"));
    // A code used before, presented again, revokes what it granted (redeemOwnerCode).
    grant = codeChallenge
      ? await redeemOwnerCode(db, field("code"), {
          clientId: client.id,
          redirectUri: field("redirect_uri"),
          codeChallenge,
        })
      : null;
    if (!grant)
      return oauthError("invalid_grant", "The code is unknown, expired, already used, or its verifier is wrong.");
  } else if (field("grant_type") === "refresh_token") {
    grant = await spendOwnerRefreshToken(db, client.id, field("refresh_token"));
    if (!grant)
      return oauthError(
        "invalid_grant",
        "The refresh token is unknown, expired, revoked or already used (then its grant is revoked): connect again.",
      );
  } else {
    return oauthError("unsupported_grant_type", "Use authorization_code or refresh_token.");
  }
  if (!(await findUser(db, grant.userId))) return oauthError("invalid_grant", "This Kiln account no longer exists.");
  const tokens = await issueOwnerTokens(db, grant);
  return tokenAnswer(tokens.access, tokens.accessSeconds, tokens.refresh, tokens.refreshSeconds);
}
