import type { IncidentReason } from "../incidents/incident-store";

/** What the supervisor reports when it restarts the runner (or sees it die). */
export interface RunnerEvent {
  reason: IncidentReason;
  /** Epoch ms of the kill or exit. */
  at: number;
  detail?: string;
}

/** A call into the runner that has not answered yet. */
export interface InFlightCall {
  id: number;
  appId: string;
  environment: "preview" | "live";
  version: string;
  requestId: string | null;
  startedAt: number;
}

const inFlight = new Map<number, InFlightCall>();
const events: RunnerEvent[] = [];
let nextId = 1;
// The calls in flight when the runner was last lost: the oldest is the culprit.
let lastLoss: { at: number; culpritId: number } | null = null;

/** Registers a call; returns it so the caller can end it. */
export function startCall(call: Omit<InFlightCall, "id" | "startedAt">): InFlightCall {
  const entry = { ...call, id: nextId++, startedAt: Date.now() };
  inFlight.set(entry.id, entry);
  return entry;
}

/** Unregisters a call once it answered or failed. */
export function endCall(call: InFlightCall): void {
  inFlight.delete(call.id);
}

/**
 * Decides whether this lost call is the one that brought the runner down:
 * the oldest call in flight at the moment the loss was first noticed (a loop
 * or a heap bomb holds the runner while later calls queue behind it).
 */
export function isCulprit(call: InFlightCall): boolean {
  const now = Date.now();
  if (!lastLoss || now - lastLoss.at > 2_000) {
    let oldest = call;
    for (const other of inFlight.values()) if (other.startedAt < oldest.startedAt) oldest = other;
    lastLoss = { at: now, culpritId: oldest.id };
  }
  return lastLoss.culpritId === call.id;
}

/** Records a supervisor report (kept briefly, only to explain lost calls). */
export function reportRunnerEvent(event: RunnerEvent): void {
  events.push(event);
  if (events.length > 50) events.shift();
}

/** Waits up to `waitMs` for the supervisor's reason for a loss noticed after `since`; "crash" if none comes. */
export async function reasonForLoss(since: number, waitMs = 4_000): Promise<RunnerEvent> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const event = events.find((e) => e.at >= since - 1_000);
    if (event) return event;
    if (Date.now() >= deadline) return { reason: "crash", at: Date.now(), detail: "the runner stopped answering" };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
