// The minute tick: the platform's one cron trigger (and `npm start`'s timer)
// calls it. It records a run for every due slot, once however many ticks see
// that slot (a unique key per slot in D1), and hands the new runs to the
// dispatcher. Overlap and missed-slot rules are applied here, and recorded.
import type { Env } from "../core/env";
import { type ScheduledAutomation, advanceSlot, dueAutomations } from "./automation-store";
import { dispatchRuns } from "./dispatcher";
import { abandonedRuns, automationsWithRunGoing, insertRun, runsToRedispatch, type NewRun } from "./run-store";
import { RUNNER_DEADLINE_MS } from "../isolates/remote-runner";
import { recordFailedAttempt } from "./execute-run";
import { fireTimesBetween, nextFireTime } from "./schedule";

/** A slot is on time while the tick that sees it is less than this late; older ones were missed (Kiln was down). */
export const LATE_AFTER_MS = 90_000;
/** Most slots recorded for one automation in one tick (an every-minute schedule after a long outage). */
export const MAX_SLOTS_PER_TICK = 100;
/** Most automations one tick handles; the rest are due again at the next tick. */
const MAX_DUE_PER_TICK = 5_000;
/** A queued run not started after this long lost its dispatch and is handed out again. */
const LOST_AFTER_MS = 2 * 60_000;
/** D1 statements per batch. */
const BATCH = 200;

/** What one tick did, for logs and the benchmark. */
export interface TickReport {
  due: number;
  queued: number;
  skipped: number;
  redispatched: number;
  abandoned: number;
}

/** Records and starts every run due at `now`. */
export async function tickAutomations(env: Env, now: Date = new Date()): Promise<TickReport> {
  const abandoned = await closeAbandonedRuns(env, now);
  const due = await dueAutomations(env.DB, now, MAX_DUE_PER_TICK);
  const going = await automationsWithRunGoing(
    env.DB,
    due.map((a) => a.appId),
    "live",
  );
  const inserts: { id: string; statement: D1PreparedStatement; run: NewRun }[] = [];
  const advances: D1PreparedStatement[] = [];
  for (const automation of due) {
    const { runs, nextSlotAt } = slotsOf(automation, now, going.has(`${automation.appId}:${automation.name}`));
    for (const run of runs) inserts.push({ ...insertRun(env.DB, run, now), run });
    advances.push(advanceSlot(env.DB, automation, nextSlotAt));
  }
  const started: { id: string; appId: string; automation: string }[] = [];
  let skipped = 0;
  for (let i = 0; i < inserts.length; i += BATCH) {
    const chunk = inserts.slice(i, i + BATCH);
    const results = await env.DB.batch(chunk.map((insert) => insert.statement));
    chunk.forEach((insert, index) => {
      // No change: another tick recorded this slot first, and only that tick starts it.
      if (results[index]!.meta.changes !== 1) return;
      if (insert.run.status === "queued")
        started.push({ id: insert.id, appId: insert.run.appId, automation: insert.run.automation });
      else skipped += 1;
    });
  }
  for (let i = 0; i < advances.length; i += BATCH) await env.DB.batch(advances.slice(i, i + BATCH));
  const again = await runsToRedispatch(env.DB, now, new Date(now.getTime() - LOST_AFTER_MS), 1_000);
  await dispatchRuns(env, [...started, ...again]);
  return { due: due.length, queued: started.length, skipped, redispatched: again.length, abandoned };
}

/**
 * The runs of one automation's due slots: the on-time slot runs unless the
 * previous run is still going; slots Kiln was down for are skipped, or
 * (policy "run_once") the latest of them runs once when no on-time slot does.
 */
export function slotsOf(
  automation: ScheduledAutomation,
  now: Date,
  previousRunGoing: boolean,
): { runs: NewRun[]; nextSlotAt: string | null } {
  if (automation.cron === null || automation.nextSlotAt === null) return { runs: [], nextSlotAt: null };
  const schedule = { cron: automation.cron, timezone: automation.timezone };
  const { times, more } = fireTimesBetween(schedule, new Date(automation.nextSlotAt), now, MAX_SLOTS_PER_TICK);
  const nextSlotAt = nextFireTime(schedule, now)?.toISOString() ?? null;
  const onTime = times.filter((time) => now.getTime() - time.getTime() < LATE_AFTER_MS).at(-1) ?? null;
  const missed = times.filter((time) => time !== onTime);
  const base = {
    appId: automation.appId,
    environment: "live" as const,
    automation: automation.name,
    trigger: "cron" as const,
    maxAttempts: automation.attempts,
  };
  const slot = (time: Date, status: NewRun["status"], reason?: string): NewRun => ({
    ...base,
    triggerKey: `cron:${time.toISOString()}`,
    scheduledAt: time.toISOString(),
    status,
    ...(reason ? { reason } : {}),
  });
  const stillGoing = `the previous run of "${automation.name}" was still going, so this slot was skipped`;
  const runs: NewRun[] = [];
  const catchUp = automation.missed === "run_once" && onTime === null ? missed.at(-1) : undefined;
  for (const time of missed) {
    if (time === catchUp) {
      runs.push(previousRunGoing ? slot(time, "skipped", stillGoing) : slot(time, "queued"));
      continue;
    }
    const why =
      automation.missed === "skip"
        ? "Kiln was not running at this time, and this automation skips the slots it missed"
        : "Kiln was not running at this time; one catch-up run covers the slots it missed";
    runs.push(
      slot(
        time,
        "skipped",
        more && time === missed.at(-1) ? `${why} (more slots after this one were missed too)` : why,
      ),
    );
  }
  if (onTime) runs.push(previousRunGoing ? slot(onTime, "skipped", stillGoing) : slot(onTime, "queued"));
  return { runs, nextSlotAt };
}

// Runs still `running` long after the runner's deadline: Kiln stopped while
// they ran. That attempt failed; a retry follows while attempts remain.
async function closeAbandonedRuns(env: Env, now: Date): Promise<number> {
  const stale = await abandonedRuns(env.DB, new Date(now.getTime() - RUNNER_DEADLINE_MS - 60_000), 500);
  for (const run of stale) {
    await recordFailedAttempt(
      env,
      run,
      null,
      { error: "Kiln stopped while this run was going, so it never finished", final: false },
      now,
    );
  }
  return stale.length;
}
