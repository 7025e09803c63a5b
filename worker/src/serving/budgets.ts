/** Bounds on what one app may take from the serving path, each with a plain-words error. */
export interface ServingBudgets {
  /** Requests of one app environment being handled at once (per serving isolate); more wait their turn. */
  maxInFlightPerApp: number;
  /** Requests of one app environment waiting for a turn; a visitor past this is turned away at once. */
  maxQueuedPerApp: number;
  /** How long a request may wait for its turn before the visitor is told the app is busy. */
  maxQueueWaitMs: number;
  /** Largest response body an app may send to a visitor. */
  maxResponseBytes: number;
}

/**
 * Defaults: a burst queues rather than fails (load is not a fault), while one app's burst holds at most 64
 * of the runner's turns, so its neighbours' requests keep interleaving with it.
 */
export const DEFAULT_BUDGETS: ServingBudgets = {
  maxInFlightPerApp: 64,
  maxQueuedPerApp: 5_000,
  maxQueueWaitMs: 20_000,
  maxResponseBytes: 25 * 1024 * 1024,
};

interface Ticket {
  granted: boolean;
}

interface Lane {
  running: number;
  waiting: Ticket[];
  /** Moving average of how long a turn lasts, to pace the waiters' checks. */
  turnMs: number;
}
const lanes = new Map<string, Lane>();

/**
 * Waits for a turn of `key` (an app environment) within its budget: resolves a release function, or null when
 * the queue is full or the wait ran out. A finished request hands its turn straight to the oldest waiter (FIFO).
 */
export async function admit(key: string, budgets: ServingBudgets): Promise<(() => void) | null> {
  let lane = lanes.get(key);
  if (!lane) {
    lane = { running: 0, waiting: [], turnMs: 5 };
    lanes.set(key, lane);
  }
  if (lane.running < budgets.maxInFlightPerApp) {
    lane.running += 1;
    return releaser(key, lane);
  }
  if (lane.waiting.length >= budgets.maxQueuedPerApp) return null;
  // workerd cancels a request whose promise another request resolves (it looks hung), so a waiter is handed its
  // turn as a flag it checks itself, as often as its place in the queue makes worthwhile (near the front: every ms).
  const ticket: Ticket = { granted: false };
  lane.waiting.push(ticket);
  const deadline = Date.now() + budgets.maxQueueWaitMs;
  while (!ticket.granted) {
    if (Date.now() >= deadline) {
      const at = lane.waiting.indexOf(ticket);
      if (at >= 0) lane.waiting.splice(at, 1);
      return null;
    }
    const ahead = lane.waiting.indexOf(ticket);
    const pause = Math.min(250, Math.max(1, (ahead * lane.turnMs) / budgets.maxInFlightPerApp));
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  return releaser(key, lane);
}

function releaser(key: string, lane: Lane): () => void {
  let released = false;
  const started = Date.now();
  return () => {
    if (released) return;
    released = true;
    lane.turnMs = lane.turnMs * 0.9 + (Date.now() - started) * 0.1;
    const next = lane.waiting.shift();
    if (next) {
      next.granted = true;
      return;
    }
    lane.running -= 1;
    if (lane.running <= 0 && lane.waiting.length === 0) lanes.delete(key);
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
