// Google's OAuth 2.0 endpoints as the fake serves them: the authorization
// endpoint (accounts.google.com/o/oauth2/v2/auth), the token and revoke
// endpoints (oauth2.googleapis.com) and userinfo, with PKCE (S256), refresh
// tokens, revocation and access-token expiry. Test switches: ../README.md.
import { createHash, randomBytes } from "node:crypto";
import {
  GOOGLE_FAKE_ACCESS_TOKEN,
  GOOGLE_FAKE_CLIENT_ID,
  GOOGLE_FAKE_CLIENT_SECRET,
  GOOGLE_FAKE_REFRESH_TOKEN,
  GOOGLE_FAKE_TOKEN_SCOPES,
  GOOGLE_FAKE_USER,
} from "./credentials.ts";
import { oauthError, unauthenticated, GoogleFakeError } from "./errors.ts";
import { formBody, html, json, type FakeRequest, type FakeResponse } from "../../testing/fake-http.ts";

const AUTH = "https://www.googleapis.com/auth/";
const SHORT_SCOPES: Record<string, string> = { email: `${AUTH}userinfo.email`, profile: `${AUTH}userinfo.profile` };
/** Scopes the fake knows; others get Google's invalid_scope page. */
const KNOWN_SCOPES = new Set([
  "openid",
  `${AUTH}userinfo.email`,
  `${AUTH}userinfo.profile`,
  ...[
    "calendar",
    "calendar.readonly",
    "calendar.events",
    "calendar.events.readonly",
    "calendar.freebusy",
    "calendar.events.freebusy",
    "calendar.events.owned",
    "calendar.app.created",
  ].map((s) => AUTH + s),
  ...["spreadsheets", "spreadsheets.readonly"].map((s) => AUTH + s),
  ...["drive", "drive.file", "drive.readonly", "drive.metadata", "drive.metadata.readonly"].map((s) => AUTH + s),
  ...["gmail.send", "gmail.compose", "gmail.modify"].map((s) => AUTH + s),
  "https://mail.google.com/",
]);
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;
const CODE_LIFETIME_MS = 10 * 60_000;

interface Grant {
  scopes: string[];
  revoked: boolean;
}

interface AuthorizationCode {
  redirectUri: string;
  scopes: string[];
  challenge: string;
  offline: boolean;
  issueRefreshToken: boolean;
  expiresAt: number;
  used: boolean;
}

interface AccessToken {
  grant: Grant;
  expiresAt: number;
}

/** The scopes and user behind a valid access token. */
export interface TokenInfo {
  scopes: ReadonlySet<string>;
}

function random(prefix: string, bytes = 32): string {
  return prefix + randomBytes(bytes).toString("base64url");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Google's error page for a bad authorization request: shown to the person, never redirected. */
function errorPage(status: number, error: string, detail: string): FakeResponse {
  return html(
    status,
    `<!doctype html><html><head><title>Error ${status}: ${error}</title></head><body><h1>Access blocked: Authorization Error</h1><p id="error">Error ${status}: ${error}</p><p id="detail">${escapeHtml(detail)}</p></body></html>`,
  );
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** All OAuth state of one fake server. */
export class OAuthServer {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, AccessToken>();
  /** Redirect URIs registered beyond the always-allowed loopback ones. */
  private readonly redirectUris = new Set<string>();
  /** Whether this client already holds a refresh token (Google then omits it unless prompt=consent). */
  private consentedBefore = false;
  private rotateRefreshTokens = false;
  private accessTokenSeconds = 3599;
  private denyConsent = false;

  constructor() {
    const grant: Grant = { scopes: [...GOOGLE_FAKE_TOKEN_SCOPES], revoked: false };
    this.refreshTokens.set(GOOGLE_FAKE_REFRESH_TOKEN, grant);
    this.accessTokens.set(GOOGLE_FAKE_ACCESS_TOKEN, { grant, expiresAt: Number.POSITIVE_INFINITY });
  }

  private redirectAllowed(uri: string): boolean {
    if (this.redirectUris.has(uri)) return true;
    try {
      const url = new URL(uri);
      const loopback =
        url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname.endsWith(".localhost");
      return url.protocol === "http:" && loopback && url.hash === "";
    } catch {
      return false;
    }
  }

  /** `GET /o/oauth2/v2/auth`: checks the request, then (auto-approving) redirects back with `code` and `state`. */
  authorize(query: URLSearchParams): FakeResponse {
    const param = (name: string) => query.get(name) ?? "";
    if (param("client_id") !== GOOGLE_FAKE_CLIENT_ID)
      return errorPage(401, "invalid_client", "The OAuth client was not found.");
    const redirectUri = param("redirect_uri");
    if (!redirectUri) return errorPage(400, "invalid_request", "Missing required parameter: redirect_uri");
    if (!this.redirectAllowed(redirectUri)) {
      return errorPage(
        400,
        "redirect_uri_mismatch",
        `You can't sign in because this app sent an invalid request. redirect_uri=${redirectUri}`,
      );
    }
    if (!query.has("response_type"))
      return errorPage(400, "invalid_request", "Required parameter is missing: response_type");
    if (param("response_type") !== "code")
      return errorPage(400, "unsupported_response_type", `Invalid response_type: ${param("response_type")}`);
    if (!param("scope")) return errorPage(400, "invalid_request", "Missing required parameter: scope");
    const scopes = [
      ...new Set(
        param("scope")
          .split(/[ +]+/)
          .filter(Boolean)
          .map((scope) => SHORT_SCOPES[scope] ?? scope),
      ),
    ];
    const unknown = scopes.filter((scope) => !KNOWN_SCOPES.has(scope));
    if (unknown.length > 0)
      return errorPage(400, "invalid_scope", `Some requested scopes were invalid. {invalid=[${unknown.join(", ")}]}`);
    // Stricter than Google, which lets these be left out: Kiln must always send them.
    if (!param("state"))
      return errorPage(400, "invalid_request", "Missing required parameter: state (the Kiln fake requires it)");
    if (!param("code_challenge"))
      return errorPage(
        400,
        "invalid_request",
        "Missing required parameter: code_challenge (the Kiln fake requires PKCE)",
      );
    if (param("code_challenge_method") !== "S256")
      return errorPage(400, "invalid_request", "Invalid code_challenge_method: the Kiln fake accepts S256 only");
    if (!PKCE_VALUE.test(param("code_challenge"))) return errorPage(400, "invalid_request", "Invalid code_challenge");
    const accessType = query.get("access_type") ?? "online";
    if (accessType !== "online" && accessType !== "offline")
      return errorPage(400, "invalid_request", `Invalid access_type: ${accessType}`);
    const prompts = param("prompt").split(" ").filter(Boolean);
    if (prompts.some((prompt) => !["none", "consent", "select_account"].includes(prompt)))
      return errorPage(400, "invalid_request", `Invalid prompt: ${param("prompt")}`);

    const back = new URL(redirectUri);
    back.searchParams.set("state", param("state"));
    if (this.denyConsent || (prompts.includes("none") && !this.consentedBefore)) {
      back.searchParams.set("error", this.denyConsent ? "access_denied" : "consent_required");
      return { status: 302, headers: { location: back.toString() } };
    }
    const code = random("4/0A", 40);
    const offline = accessType === "offline";
    // Google grants openid along with email or profile, and says so in `scope`.
    const granted =
      scopes.some((scope) => scope.startsWith(`${AUTH}userinfo.`)) && !scopes.includes("openid")
        ? ["openid", ...scopes]
        : scopes;
    this.codes.set(code, {
      redirectUri,
      scopes: granted,
      challenge: param("code_challenge"),
      offline,
      // Google sends a refresh token the first time, and again only when consent is prompted.
      issueRefreshToken: offline && (!this.consentedBefore || prompts.includes("consent")),
      expiresAt: Date.now() + CODE_LIFETIME_MS,
      used: false,
    });
    back.searchParams.set("code", code);
    back.searchParams.set("scope", granted.join(" "));
    back.searchParams.set("authuser", "0");
    back.searchParams.set("prompt", "consent");
    return { status: 302, headers: { location: back.toString() } };
  }

  private issueAccessToken(grant: Grant, clientId: string): Record<string, unknown> {
    const accessToken = random("ya29.a0", 48);
    this.accessTokens.set(accessToken, { grant, expiresAt: Date.now() + this.accessTokenSeconds * 1000 });
    const answer: Record<string, unknown> = {
      access_token: accessToken,
      expires_in: this.accessTokenSeconds,
      scope: grant.scopes.join(" "),
      token_type: "Bearer",
    };
    if (grant.scopes.includes("openid")) answer.id_token = this.idToken(grant, clientId);
    return answer;
  }

  // Claims only: the signature is not a real RS256 signature (read the claims, do not verify it).
  private idToken(grant: Grant, clientId: string): string {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: "https://accounts.google.com",
      azp: clientId,
      aud: clientId,
      sub: GOOGLE_FAKE_USER.sub,
      iat: now,
      exp: now + 3600,
    };
    if (grant.scopes.includes(`${AUTH}userinfo.email`))
      Object.assign(claims, { email: GOOGLE_FAKE_USER.email, email_verified: true });
    return `${base64url({ alg: "RS256", kid: "kiln-fake-key", typ: "JWT" })}.${base64url(claims)}.${randomBytes(32).toString("base64url")}`;
  }

  /** `POST /token`: authorization_code (with PKCE) and refresh_token grants, form-encoded. */
  token(request: FakeRequest): FakeResponse {
    const form = formBody(request);
    if (!form)
      throw oauthError(400, "invalid_request", "Invalid request: the body must be application/x-www-form-urlencoded.");
    let clientId = form.get("client_id") ?? "";
    let clientSecret = form.get("client_secret") ?? "";
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? "");
    if (basic)
      [clientId, clientSecret] = Buffer.from(basic[1], "base64").toString("utf8").split(":").map(decodeURIComponent);
    if (clientId !== GOOGLE_FAKE_CLIENT_ID) throw oauthError(401, "invalid_client", "The OAuth client was not found.");
    if (clientSecret !== GOOGLE_FAKE_CLIENT_SECRET) throw oauthError(401, "invalid_client", "Unauthorized");

    const grantType = form.get("grant_type");
    if (grantType === "authorization_code") return json(200, this.exchangeCode(form, clientId));
    if (grantType === "refresh_token") return json(200, this.refresh(form, clientId));
    if (!grantType) throw oauthError(400, "unsupported_grant_type", "Invalid grant_type: ");
    throw oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${grantType}`);
  }

  private exchangeCode(form: URLSearchParams, clientId: string): Record<string, unknown> {
    const codeText = form.get("code");
    if (!codeText) throw oauthError(400, "invalid_request", "Missing required parameter: code");
    const code = this.codes.get(codeText);
    if (!code || code.used || code.expiresAt < Date.now()) throw oauthError(400, "invalid_grant", "Bad Request");
    if (!form.get("redirect_uri")) throw oauthError(400, "invalid_request", "Missing parameter: redirect_uri");
    if (form.get("redirect_uri") !== code.redirectUri) throw oauthError(400, "redirect_uri_mismatch", "Bad Request");
    const verifier = form.get("code_verifier");
    if (!verifier) throw oauthError(400, "invalid_grant", "Missing code verifier.");
    if (!PKCE_VALUE.test(verifier) || createHash("sha256").update(verifier).digest("base64url") !== code.challenge) {
      throw oauthError(400, "invalid_grant", "Invalid code verifier.");
    }
    code.used = true;
    const grant: Grant = { scopes: code.scopes, revoked: false };
    const answer = this.issueAccessToken(grant, clientId);
    if (code.issueRefreshToken) {
      const refreshToken = random("1//0g", 48);
      this.refreshTokens.set(refreshToken, grant);
      answer.refresh_token = refreshToken;
      this.consentedBefore = true;
    }
    return answer;
  }

  private refresh(form: URLSearchParams, clientId: string): Record<string, unknown> {
    const token = form.get("refresh_token");
    if (!token) throw oauthError(400, "invalid_request", "Missing required parameter: refresh_token");
    const grant = this.refreshTokens.get(token);
    if (!grant || grant.revoked) throw oauthError(400, "invalid_grant", "Token has been expired or revoked.");
    const answer = this.issueAccessToken(grant, clientId);
    if (this.rotateRefreshTokens) {
      // Rotation (a test switch; Google itself keeps refresh tokens): the old one stops working.
      this.refreshTokens.delete(token);
      const next = random("1//0g", 48);
      this.refreshTokens.set(next, grant);
      answer.refresh_token = next;
    }
    return answer;
  }

  /** `POST /revoke?token=…` (or form body): revoking either token of a grant ends the whole grant. */
  revoke(request: FakeRequest): FakeResponse {
    const token = formBody(request)?.get("token") ?? request.url.searchParams.get("token");
    const grant = token ? (this.refreshTokens.get(token) ?? this.accessTokens.get(token)?.grant) : undefined;
    if (!grant || grant.revoked) throw oauthError(400, "invalid_token", "Token expired or revoked");
    grant.revoked = true;
    return json(200, {});
  }

  /** The scopes of the request's bearer token; throws Google's 401 when it is missing, unknown, expired or revoked. */
  authenticate(request: FakeRequest): TokenInfo {
    const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "");
    const token = match ? this.accessTokens.get(match[1]) : undefined;
    if (!token || token.grant.revoked || token.expiresAt <= Date.now()) throw unauthenticated();
    return { scopes: new Set(token.grant.scopes) };
  }

  /** `GET /oauth2/v3/userinfo`: the account, as far as the token's scopes allow. */
  userinfo(request: FakeRequest): FakeResponse {
    let info: TokenInfo;
    try {
      info = this.authenticate(request);
    } catch {
      throw new GoogleFakeError({
        ...json(401, { error: "invalid_request", error_description: "Invalid Credentials" }),
        headers: {
          "content-type": "application/json; charset=utf-8",
          "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
        },
      });
    }
    const answer: Record<string, unknown> = { sub: GOOGLE_FAKE_USER.sub };
    if (info.scopes.has(`${AUTH}userinfo.profile`)) {
      Object.assign(answer, {
        name: GOOGLE_FAKE_USER.name,
        given_name: GOOGLE_FAKE_USER.given_name,
        family_name: GOOGLE_FAKE_USER.family_name,
        picture: GOOGLE_FAKE_USER.picture,
      });
    }
    if (info.scopes.has(`${AUTH}userinfo.email`))
      Object.assign(answer, { email: GOOGLE_FAKE_USER.email, email_verified: true });
    return json(200, answer);
  }

  /** Test switches under `/__fake/oauth/`; undefined for another path. */
  control(path: string, body: Record<string, unknown>): FakeResponse | undefined {
    const listed = (key: string) => (Array.isArray(body[key]) ? (body[key] as string[]) : undefined);
    switch (path) {
      case "/__fake/oauth/rotate-refresh-tokens":
        this.rotateRefreshTokens = body.enabled !== false;
        return json(200, { rotateRefreshTokens: this.rotateRefreshTokens });
      case "/__fake/oauth/revoke-all": {
        const only = listed("refreshTokens");
        for (const [token, grant] of this.refreshTokens) if (!only || only.includes(token)) grant.revoked = true;
        return { status: 204 };
      }
      case "/__fake/oauth/expire-access-tokens": {
        const only = listed("accessTokens");
        for (const [token, access] of this.accessTokens) if (!only || only.includes(token)) access.expiresAt = 0;
        return { status: 204 };
      }
      case "/__fake/oauth/access-token-lifetime":
        this.accessTokenSeconds = typeof body.seconds === "number" && body.seconds > 0 ? body.seconds : 3599;
        return json(200, { seconds: this.accessTokenSeconds });
      case "/__fake/oauth/consent":
        this.denyConsent = body.approve === false;
        return json(200, { approve: !this.denyConsent });
      case "/__fake/oauth/redirect-uris":
        for (const uri of listed("add") ?? []) this.redirectUris.add(uri);
        return json(200, { redirectUris: [...this.redirectUris] });
      default:
        return undefined;
    }
  }
}
