import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiError } from "../core/errors";

/**
 * The one place errors become responses: ApiErrors as they are, anything
 * else as a generic 500 (its message may hold internals, so it is only
 * logged server-side, with the request id the caller sees).
 */
export function handleApiError(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    // A 429 tells well-behaved clients when to come back (TooManyAttemptsError and others that say so).
    const retryAfter = error.extra.retryAfterSeconds;
    if (error.status === 429 && typeof retryAfter === "number") c.header("retry-after", String(retryAfter));
    return c.json({ error: { code: error.code, message: error.message }, ...error.extra }, error.status);
  }
  if (error instanceof HTTPException) {
    return c.json(
      { error: { code: error.status === 404 ? "not_found" : "bad_request", message: error.message } },
      error.status,
    );
  }
  const requestId = (c.get("requestId") as string | undefined) ?? "unknown";
  console.error(`[${requestId}] unexpected error: ${error.name}: ${error.message}`);
  return c.json(
    {
      error: {
        code: "internal",
        message: `Something went wrong on Kiln's side (reference ${requestId}). Try again; if it keeps happening, report the reference.`,
      },
    },
    500,
  );
}
