// The token endpoint of an app host's OAuth for MCP clients: a code (with its PKCE verifier) or a refresh token in,
// a short-lived access token and a new refresh token out. Every grant asks the environment's rule again, so an
// invite removed or a rule tightened stops a client at its next refresh (and the sign-out of that email ends its
// access tokens at once: they are sessions of the app's own database).
import { newSecret } from "../../core/ids";
import { oauthError, tokenAnswer } from "../../oauth/oauth-responses";
import { pkceChallenge } from "../../oauth/pkce";
import type { Visitor } from "../../data/visitor-sessions";
import { appDataStore } from "../../data/app-data-store-stub";
import { MCP_PATH } from "../../serving/app-mcp";
import { mcpAccessTokenHash } from "../../serving/mcp-gate";
import { type SignInContext, rolesAtSignIn } from "../sign-in-context";
import { visitorId } from "../visitor-session";
import {
  type OAuthGrant,
  REFRESH_SECONDS,
  findClient,
  issueRefreshToken,
  redeemCode,
  spendRefreshToken,
} from "./oauth-store";

/** An access token lasts an hour: short, since a refresh re-checks who may use the app. */
export const ACCESS_SECONDS = 60 * 60;

/** `POST /_kiln/oauth/token`: `authorization_code` (with PKCE S256) or `refresh_token`. */
export async function tokenEndpoint(context: SignInContext, request: Request): Promise<Response> {
  const form = await request.formData().catch(() => null);
  if (!form) return oauthError("invalid_request", "Send the token request as a form.");
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const place = { appId: context.app.id, environment: context.environment };
  const resource = field("resource");
  if (resource !== "" && resource !== `${context.url.origin}${MCP_PATH}`)
    return oauthError("invalid_target", `This server grants access to ${context.url.origin}${MCP_PATH} only.`);
  const client = await findClient(context.env.DB, place, field("client_id"));
  if (!client) return oauthError("invalid_client", "This app host does not know that client; register again.", 401);
  let grant: OAuthGrant | null = null;
  if (field("grant_type") === "authorization_code") {
    // Checked before the code is spent: a wrong verifier (or client, or redirect URI) leaves it to its real client.
    const codeChallenge = await pkceChallenge(field("code_verifier"));
    const email = codeChallenge
      ? await redeemCode(context.env.DB, place, field("code"), {
          clientId: client.id,
          redirectUri: field("redirect_uri"),
          codeChallenge,
        })
      : null;
    if (!email)
      return oauthError("invalid_grant", "The code is unknown, expired, already used, or its verifier is wrong.");
    grant = { clientId: client.id, email };
  } else if (field("grant_type") === "refresh_token") {
    grant = await spendRefreshToken(context.env.DB, place, client.id, field("refresh_token"));
    if (!grant) return oauthError("invalid_grant", "The refresh token is unknown, expired or already used.");
  } else {
    return oauthError("unsupported_grant_type", "Use authorization_code or refresh_token.");
  }
  // Who may use the app is asked again on every grant: the rule and the invite list as they are now.
  const roles = await rolesAtSignIn(context, grant.email);
  if (roles === null) return oauthError("invalid_grant", `${grant.email} may no longer use ${context.app.name}.`);
  const accessToken = newSecret(32);
  const visitor: Visitor = { id: await visitorId(context.app.id, grant.email), email: grant.email, roles };
  await appDataStore(context.env, context.app, context.environment).startVisitorSession(
    await mcpAccessTokenHash(accessToken),
    visitor,
    Date.now() + ACCESS_SECONDS * 1000,
  );
  const refreshToken = await issueRefreshToken(context.env.DB, place, grant);
  return tokenAnswer(accessToken, ACCESS_SECONDS, refreshToken, REFRESH_SECONDS);
}
