import type { AppTarget } from "../isolates/app-runner";

/** A request the runner started and whose trace (end of all its work, waitUntil included) has not arrived. */
export interface InProgressRequest {
  requestId: string;
  appId: string;
  environment: AppTarget["environment"];
  version: string;
  startedAt: number;
}

// Kept so the supervisor can say which request was still running when the
// runner stopped answering, even one that already sent its response.
const running = new Map<string, InProgressRequest>();
const FORGET_AFTER_MS = 120_000;

/** Notes that a request began. */
export function beginRequest(
  requestId: string | null,
  target: Pick<AppTarget, "appId" | "environment" | "version">,
): void {
  if (!requestId) return;
  running.set(requestId, {
    requestId,
    appId: target.appId,
    environment: target.environment,
    version: target.version,
    startedAt: Date.now(),
  });
}

/** Notes that a request's trace arrived: all of its work is over. */
export function finishRequest(requestId: string | null): void {
  if (requestId) running.delete(requestId);
}

/** The requests still running, oldest first (stale entries are dropped). */
export function inProgressRequests(): InProgressRequest[] {
  const now = Date.now();
  for (const [id, entry] of running) if (now - entry.startedAt > FORGET_AFTER_MS) running.delete(id);
  return [...running.values()];
}
