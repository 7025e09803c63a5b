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

/** A body up to this size that has fully arrived is answered as one buffer, with no stream in between. */
export const SMALL_BODY_BYTES = 64 * 1024;

/**
 * Passes the body through when its declared length fits, and otherwise counts bytes as they stream, erroring the
 * stream past `maxBytes`. Returns null when the declared length alone is already too large; otherwise a new
 * Response, whose headers the caller may change. Most app responses
 * arrive whole at once without a declared length (a string body crossing from the app's isolate): what has already
 * arrived is read first, and when that is all of it (≤ SMALL_BODY_BYTES), it is answered as is — a counting stream
 * per request cost a tenth of the runner's CPU.
 */
export async function limitResponseBody(
  response: Response,
  maxBytes: number,
  onExceeded: () => void,
): Promise<Response | null> {
  const declared = response.headers.get("content-length");
  if (declared !== null && !(Number(declared) <= maxBytes)) return null;
  if (declared !== null || response.body === null) return new Response(response.body, response);
  const reader = response.body.getReader();
  const head: Uint8Array[] = [];
  let seen = 0;
  while (seen <= SMALL_BODY_BYTES) {
    const next = reader.read();
    const arrived = await Promise.race([next, nextTurn()]);
    // Not there yet (a stream the app writes over time): stream it on, counting, without waiting for more.
    if (arrived === null) return new Response(countingStream(reader, head, seen, next, maxBytes, onExceeded), response);
    if (arrived.done) return new Response(joined(head, seen), response);
    head.push(arrived.value);
    seen += arrived.value.byteLength;
  }
  return new Response(countingStream(reader, head, seen, null, maxBytes, onExceeded), response);
}

// Resolves null once everything already queued has run: a read that is still pending then waits on the app.
function nextTurn(): Promise<null> {
  return new Promise((resolve) => setTimeout(() => resolve(null), 0));
}

function joined(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

// The rest of a body, after the chunks already read (`head`, `seen` bytes) and a read still pending (`pending`).
function countingStream(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  head: Uint8Array[],
  seen: number,
  pending: Promise<ReadableStreamReadResult<Uint8Array>> | null,
  maxBytes: number,
  onExceeded: () => void,
): ReadableStream<Uint8Array> {
  let count = seen;
  let waiting = pending;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of head) controller.enqueue(chunk);
      if (count > maxBytes) {
        onExceeded();
        controller.error(new Error(responseTooLargeMessage(maxBytes)));
        void reader.cancel();
      }
    },
    async pull(controller) {
      const { done, value } = await (waiting ?? reader.read());
      waiting = null;
      if (done) return controller.close();
      count += value.byteLength;
      if (count > maxBytes) {
        onExceeded();
        controller.error(new Error(responseTooLargeMessage(maxBytes)));
        await reader.cancel();
        return;
      }
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
