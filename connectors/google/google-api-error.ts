// Google's error answers, turned into one typed error with words the app's
// owner can act on. Google answers `{ error: { code, message, status?, errors?: [{ reason }] } }`
// (the Calendar API leaves out `status`; OAuth-style endpoints send `{ error, error_description }`).

/** Google refused or failed a request; `message` says what to do. */
export class GoogleApiError extends Error {
  /** HTTP status: 400 invalid request, 401 sign-in expired or revoked, 403 not allowed, 404 not found, 429 rate limit. */
  readonly status: number;
  /** Google's status word, e.g. "INVALID_ARGUMENT", "UNAUTHENTICATED", "PERMISSION_DENIED", "NOT_FOUND". */
  readonly googleStatus: string;
  /** Google's reason, e.g. "notFound", "insufficientPermissions", "rateLimitExceeded". */
  readonly reason?: string;

  constructor(init: { status: number; googleStatus: string; reason?: string; message: string }) {
    super(init.message);
    this.name = "GoogleApiError";
    this.status = init.status;
    this.googleStatus = init.googleStatus;
    this.reason = init.reason;
  }
}

/** A message the app built cannot be sent as is (no recipient, no body, a line break in a header…). */
export class EmailInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmailInputError";
  }
}

// Google's status word when a body leaves it out (the Calendar API does).
const STATUS_WORDS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  410: "GONE",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

const SCOPE_REASONS = new Set(["insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"]);
const RATE_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "RATE_LIMIT_EXCEEDED"]);

function advice(status: number, reason: string | undefined, service: GoogleService): string {
  if (status === 401)
    return `Google did not accept the connection's sign-in (it expired or was revoked). The app owner should reconnect Google in Kiln.`;
  if (reason && RATE_REASONS.has(reason))
    return `Google's rate limit for ${service} was reached. Wait a minute and try again.`;
  if (status === 429) return `Google's rate limit for ${service} was reached. Wait a minute and try again.`;
  if (status === 403 && reason && SCOPE_REASONS.has(reason)) {
    return `The Google connection was not allowed to use ${service}. The app owner should reconnect Google and tick every permission Kiln asks for.`;
  }
  if (status === 403) return `Google refused access: the connected account may not use this ${service} item.`;
  if (status === 404)
    return `Google could not find it in ${service}. Check the id (calendar, event, spreadsheet, file or message) and that the connected account can see it.`;
  if (status === 410) return `That ${service} item was already deleted.`;
  if (status >= 500) return `Google had a problem on its side (HTTP ${status}). Try again in a moment.`;
  return `${service} rejected the request.`;
}

interface ErrorBody {
  error?:
    | string
    | {
        code?: number;
        message?: string;
        status?: string;
        errors?: { reason?: string; message?: string }[];
        details?: { reason?: string }[];
      };
  error_description?: string;
}

/** Which product a call belongs to, for error messages ("Google Calendar"). */
export type GoogleService = "Google Calendar" | "Google Sheets" | "Gmail" | "Google Drive";

/** Builds the error for a failed Google response from its status and raw body. */
export function googleErrorFrom(status: number, bodyText: string, service: GoogleService): GoogleApiError {
  let googleStatus = STATUS_WORDS[status] ?? `HTTP_${status}`;
  let reason: string | undefined;
  let detail = "";
  try {
    const body = JSON.parse(bodyText) as ErrorBody;
    if (typeof body.error === "string") {
      reason = body.error;
      detail = body.error_description ?? "";
    } else if (body.error) {
      googleStatus = body.error.status ?? googleStatus;
      reason = body.error.details?.find((d) => d.reason)?.reason ?? body.error.errors?.[0]?.reason;
      detail = body.error.message ?? "";
    }
  } catch {
    detail = bodyText.slice(0, 200);
  }
  const message = `${advice(status, reason, service)} (Google ${status} ${googleStatus}${detail ? `: ${detail}` : ""})`;
  return new GoogleApiError({ status, googleStatus, reason, message });
}
