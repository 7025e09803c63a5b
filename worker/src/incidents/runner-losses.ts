import type { Environment } from "../core/env";
import type { IncidentReason } from "../core/api-shapes/apps";

/** A request the runner reported as still running at its last good health check. */
export interface RunnerRequest {
  requestId: string;
  appId: string;
  environment: Environment;
  version: string;
  startedAt: number;
}

/** What the supervisor reports when it restarts the runner (or sees it die). */
export interface RunnerEvent {
  reason: IncidentReason;
  /** Which of the local supervisor's runners restarted (absent: the only one). */
  runner?: number;
  /** Epoch ms of the kill or exit. */
  at: number;
  detail?: string;
  /** When the first health check that went unanswered was sent (hangs only). */
  hungSince?: number;
  /** When the last health check that the runner did answer was sent. */
  lastHealthyAt?: number;
  /** Requests the runner was still working on at its last good health check. */
  inProgress?: RunnerRequest[];
  /** Ids of those that were not running yet at the check before (they began just before the runner stopped). */
  newlyStarted?: string[];
  /** Requests that had entered app code and not left it when the runner stopped, in the order they entered (request marks). */
  running?: RunnerRequest[];
  /** The last request that entered app code before the runner stopped. */
  lastEntered?: RunnerRequest;
  /**
   * False when no one request can be to blame: the runner's memory passed its ceiling by slow growth across many
   * apps, not by one request's allocation. Nobody is charged; the requests cut short are told they were interrupted.
   */
  attributable?: boolean;
}

/** A call into the runner that has not answered yet. */
export interface InFlightCall {
  id: number;
  /** The runner it was sent to (absent: the only one). */
  runner?: number;
  appId: string;
  environment: Environment;
  version: string;
  requestId: string | null;
  startedAt: number;
}

/** Who a runner loss is charged to, once the supervisor has said why it happened. */
export interface LossVerdict {
  event: RunnerEvent;
  /** The request that brought the runner down, or null when none can be named. */
  culprit: RunnerRequest | null;
}

const lost: InFlightCall[] = [];
const events: RunnerEvent[] = [];
const verdicts = new Map<RunnerEvent, LossVerdict>();
const recorded = new WeakSet<RunnerEvent>();
let nextId = 1;

/** Whether a restart and a call (or two restarts) concern the same runner process. */
function sameRunner(a: { runner?: number }, b: { runner?: number }): boolean {
  return (a.runner ?? 0) === (b.runner ?? 0);
}

/** Stamps a call into the runner with an id and its start time (used to judge it if the runner is lost). */
export function startCall(call: Omit<InFlightCall, "id" | "startedAt">): InFlightCall {
  return { ...call, id: nextId++, startedAt: Date.now() };
}

/** Remembers a call that failed because the runner went away, until its loss is explained. */
export function noteLostCall(call: InFlightCall): void {
  lost.push(call);
  if (lost.length > 500) lost.shift();
}

/** Whether a call with this request id was made from this process and lost (its failure was logged where it failed). */
export function lostHere(requestId: string): boolean {
  return lost.some((call) => call.requestId === requestId);
}

/** Records a supervisor report (kept briefly, only to explain lost calls). */
export function reportRunnerEvent(event: RunnerEvent): void {
  events.push(event);
  if (events.length > 50) verdicts.delete(events.shift()!);
}

/**
 * Waits up to `waitMs` for the supervisor's report of the restart that took
 * `call` down (the first one after the call started), then names the culprit
 * (see judgeRunnerEvent).
 */
export async function explainLoss(call: InFlightCall, waitMs = 4_000): Promise<LossVerdict> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const event = events.find((e) => sameRunner(e, call) && e.at >= call.startedAt);
    if (event) {
      // Let the other calls lost in the same restart register first.
      await new Promise((resolve) => setTimeout(resolve, 150));
      return judgeRunnerEvent(event);
    }
    if (Date.now() >= deadline) {
      return {
        event: { reason: "crash", at: Date.now(), detail: "the runner stopped answering" },
        culprit: asRequest(call),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The verdict on one restart (computed once; later calls get the same answer).
 * Request marks decide when the supervisor read them: a runaway request
 * stops the runner inside app code, so it is the last request that entered
 * app code without leaving it (or, when every request had left, the last to
 * enter: a hang in `waitUntil`). Without marks, a heuristic: a lost call the
 * runner had already begun at its last good health check is charged first
 * (the latest such), otherwise the first lost call sent after that check,
 * otherwise the latest request the runner still had running.
 */
export function judgeRunnerEvent(event: RunnerEvent): LossVerdict {
  const known = verdicts.get(event);
  if (known) return known;
  if (event.attributable === false) {
    const verdict = { event, culprit: null };
    verdicts.set(event, verdict);
    return verdict;
  }
  const previous = events.slice(0, events.indexOf(event)).findLast((e) => sameRunner(e, event));
  const since = Math.max(previous?.at ?? 0, event.lastHealthyAt ?? 0);
  let culprit: RunnerRequest | null = fromMarks(event);
  // A lost request the runner had already begun at its last good check was running when it stopped
  // (the latest such one: an older one has been waiting on I/O through earlier checks).
  const begun = new Set((event.inProgress ?? []).map((r) => r.requestId));
  const lostThere = lost.filter((call) => sameRunner(call, event));
  if (!culprit)
    for (const call of lostThere) {
      if (
        call.startedAt >= (previous?.at ?? 0) &&
        call.startedAt <= event.at &&
        call.requestId &&
        begun.has(call.requestId) &&
        (!culprit || call.startedAt > culprit.startedAt)
      )
        culprit = asRequest(call);
    }
  // Otherwise the first call sent after that check; later ones only queued behind it.
  if (!culprit)
    for (const call of lostThere)
      if (call.startedAt >= since && call.startedAt <= event.at && (!culprit || call.startedAt < culprit.startedAt))
        culprit = asRequest(call);
  if (!culprit) {
    for (const running of event.inProgress ?? [])
      if (!culprit || running.startedAt > culprit.startedAt) culprit = running;
  }
  const verdict = { event, culprit };
  verdicts.set(event, verdict);
  return verdict;
}

// The marks come from the supervisor, authenticated by a secret app code never sees.
function fromMarks(event: RunnerEvent): RunnerRequest | null {
  const running = event.running ?? [];
  return running[running.length - 1] ?? event.lastEntered ?? null;
}

function asRequest(call: InFlightCall): RunnerRequest {
  return {
    requestId: call.requestId ?? `call_${call.id}`,
    appId: call.appId,
    environment: call.environment,
    version: call.version,
    startedAt: call.startedAt,
  };
}

/** Whether a verdict charges this call. */
export function chargesCall(verdict: LossVerdict, call: InFlightCall): boolean {
  return verdict.culprit !== null && verdict.culprit.requestId === (call.requestId ?? `call_${call.id}`);
}

/** Marks a verdict's incident as recorded; true only the first time (one incident per restart). */
export function claimVerdict(verdict: LossVerdict): boolean {
  const claimed = recorded.has(verdict.event);
  recorded.add(verdict.event);
  return !claimed;
}

/**
 * Why the runner went away under `call`, in words for the app's owner (after
 * the supervisor's report, or the wait for it): what the code did, and that
 * Kiln restarted the runner.
 */
export async function lossInWords(call: InFlightCall): Promise<string> {
  noteLostCall(call);
  const { event } = await explainLoss(call);
  const why =
    event.reason === "time_budget"
      ? "it kept the app runner busy past its time budget (an endless loop?)"
      : event.reason === "memory_budget"
        ? "it used more memory than an app may use"
        : "it crashed the app runner";
  return `${why}; Kiln restarted the runner`;
}
