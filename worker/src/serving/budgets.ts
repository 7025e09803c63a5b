/** Bounds on what one app may take from the serving path, each with a plain-words error. */
export interface ServingBudgets {
  /** Requests of one app environment being handled at once (per platform isolate). */
  maxInFlightPerApp: number;
  /** Largest response body an app may send to a visitor. */
  maxResponseBytes: number;
}

/** Defaults: generous for real apps, small enough that one app cannot starve the others. */
export const DEFAULT_BUDGETS: ServingBudgets = { maxInFlightPerApp: 64, maxResponseBytes: 25 * 1024 * 1024 };

const inFlight = new Map<string, number>();

/**
 * Counts a request against its app's concurrency budget; returns a release
 * function, or null when the app is already at its limit.
 */
export function enterInFlight(key: string, limit: number): (() => void) | null {
  const current = inFlight.get(key) ?? 0;
  if (current >= limit) return null;
  inFlight.set(key, current + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (inFlight.get(key) ?? 1) - 1;
    if (left <= 0) inFlight.delete(key);
    else inFlight.set(key, left);
  };
}

/** Thrown into a response stream that grew past the budget; the visitor's download is cut off. */
export function responseTooLargeMessage(maxBytes: number): string {
  return `this response was larger than ${Math.round(maxBytes / 1024 / 1024)} MB, the most an app may send; it was cut off`;
}

/**
 * Passes the body through when its declared length fits, and otherwise
 * counts bytes as they stream, erroring the stream past `maxBytes`.
 * Returns null when the declared length alone is already too large.
 */
export function limitResponseBody(response: Response, maxBytes: number, onExceeded: () => void): Response | null {
  const declared = response.headers.get("content-length");
  if (declared !== null && Number(declared) <= maxBytes) return response;
  if (declared !== null) return null;
  if (response.body === null) return response;
  let seen = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) {
        onExceeded();
        controller.error(new Error(responseTooLargeMessage(maxBytes)));
        return;
      }
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(counter), response);
}
