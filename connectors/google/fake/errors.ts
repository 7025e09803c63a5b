// Google's error answers, as the fake sends them. Throw GoogleFakeError from a
// route; the server turns it into the response.
import { json, type FakeResponse } from "../../testing/fake-http.ts";

/** An error answer with Google's status, JSON body and headers. */
export class GoogleFakeError extends Error {
  readonly response: FakeResponse;
  constructor(response: FakeResponse) {
    super(response.body ?? String(response.status));
    this.response = response;
  }
}

const STATUS_WORDS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  429: "RESOURCE_EXHAUSTED",
};

/** The `{ error: { code, message, errors, status } }` of the Sheets and Gmail APIs. */
export function apiError(code: number, message: string, reason = "invalidArgument"): GoogleFakeError {
  return new GoogleFakeError(
    json(code, {
      error: {
        code,
        message,
        errors: [{ message, domain: "global", reason }],
        status: STATUS_WORDS[code] ?? "UNKNOWN",
      },
    }),
  );
}

/** The Calendar API's older shape: no `status` word. */
export function calendarError(code: number, reason: string, message: string): GoogleFakeError {
  return new GoogleFakeError(json(code, { error: { errors: [{ domain: "global", reason, message }], code, message } }));
}

/** 401 for a missing, unknown, expired or revoked access token, as every Google API sends it. */
export function unauthenticated(): GoogleFakeError {
  const message =
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";
  const response = json(401, {
    error: {
      code: 401,
      message,
      errors: [
        {
          message: "Invalid Credentials",
          domain: "global",
          reason: "authError",
          location: "Authorization",
          locationType: "header",
        },
      ],
      status: "UNAUTHENTICATED",
    },
  });
  response.headers = {
    ...response.headers,
    "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
  };
  return new GoogleFakeError(response);
}

/** 403 for a valid token that lacks every scope the method accepts. */
export function insufficientScopes(service: string, method: string): GoogleFakeError {
  const response = json(403, {
    error: {
      code: 403,
      message: "Request had insufficient authentication scopes.",
      errors: [{ message: "Insufficient Permission", domain: "global", reason: "insufficientPermissions" }],
      status: "PERMISSION_DENIED",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
          domain: "googleapis.com",
          metadata: { service, method },
        },
      ],
    },
  });
  response.headers = {
    ...response.headers,
    "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="insufficient_scope"',
  };
  return new GoogleFakeError(response);
}

/** The `{ error, error_description }` of the OAuth endpoints. */
export function oauthError(status: number, error: string, description: string): GoogleFakeError {
  return new GoogleFakeError(json(status, { error, error_description: description }));
}

/** Throws the 403 unless `granted` holds one of the scopes the method accepts. */
export function requireScope(
  granted: ReadonlySet<string>,
  accepted: readonly string[],
  service: string,
  method: string,
): void {
  if (!accepted.some((scope) => granted.has(scope))) throw insufficientScopes(service, method);
}
