import { describe, expect, it } from "vitest";
import {
  type InFlightCall,
  type RunnerEvent,
  judgeRunnerEvent,
  noteLostCall,
  reportRunnerEvent,
  startCall,
} from "./runner-losses";

// Events are judged against calls lost since the previous event; each test starts later than the last.
let clock = Date.now() + 1_000_000;

function lostCall(requestId: string, appId: string, startedAt: number): InFlightCall {
  const call = { ...startCall({ appId, environment: "live", version: "v1", requestId }), startedAt };
  noteLostCall(call);
  return call;
}

function event(fields: Omit<RunnerEvent, "reason" | "at">, at: number): RunnerEvent {
  const reported: RunnerEvent = { reason: "time_budget", at, ...fields };
  reportRunnerEvent(reported);
  return reported;
}

const request = (requestId: string, appId: string, startedAt: number) => ({
  requestId,
  appId,
  environment: "live" as const,
  version: "v1",
  startedAt,
});

describe("judging a runner loss", () => {
  it("charges nobody when the supervisor says the memory grew across many apps, not in one request", () => {
    clock += 100_000;
    const t = clock;
    lostCall("req_last", "bystander", t + 5);
    const marks = {
      running: [request("req_last", "bystander", t + 5)],
      lastEntered: request("req_last", "bystander", t + 5),
    };
    expect(judgeRunnerEvent(event({ ...marks, attributable: false }, t + 50)).culprit).toBeNull();
    // The same marks after one request's sudden growth name that request.
    expect(judgeRunnerEvent(event(marks, t + 60)).culprit?.requestId).toBe("req_last");
  });

  it("charges the request that entered app code last and never left, not a bystander the runner began later", () => {
    clock += 100_000;
    const t = clock;
    lostCall("req_bad", "attacker", t + 5);
    lostCall("req_good", "bystander", t + 10);
    const verdict = judgeRunnerEvent(
      event(
        {
          lastHealthyAt: t,
          // The bystander was already inside the runner at the last check (awaiting its database read).
          inProgress: [request("req_good", "bystander", t + 10)],
          running: [request("req_good", "bystander", t + 10), request("req_bad", "attacker", t + 12)],
          lastEntered: request("req_bad", "attacker", t + 12),
        },
        t + 2_000,
      ),
    );
    expect(verdict.culprit).toMatchObject({ requestId: "req_bad", appId: "attacker" });
  });

  it("charges the last request to enter when every request had left app code (a hang in waitUntil, after the response)", () => {
    clock += 100_000;
    const t = clock;
    const verdict = judgeRunnerEvent(
      event(
        { lastHealthyAt: t, inProgress: [], running: [], lastEntered: request("req_background", "worker-app", t + 5) },
        t + 2_000,
      ),
    );
    expect(verdict.culprit).toMatchObject({ requestId: "req_background", appId: "worker-app" });
  });

  it("without marks, charges the first call sent after the last good check", () => {
    clock += 100_000;
    const t = clock;
    lostCall("req_first", "first", t + 20);
    lostCall("req_second", "second", t + 30);
    const verdict = judgeRunnerEvent(event({ lastHealthyAt: t, inProgress: [] }, t + 2_000));
    expect(verdict.culprit).toMatchObject({ requestId: "req_first" });
  });

  it("without marks, prefers a lost call the runner had begun at its last good check", () => {
    clock += 100_000;
    const t = clock;
    lostCall("req_slow", "slow", t - 500);
    lostCall("req_later", "later", t + 40);
    const verdict = judgeRunnerEvent(
      event({ lastHealthyAt: t, inProgress: [request("req_slow", "slow", t - 500)] }, t + 2_000),
    );
    expect(verdict.culprit).toMatchObject({ requestId: "req_slow" });
  });
});
