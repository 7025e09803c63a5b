// Fire times of a cron schedule in a timezone. Croner does the calendar work
// (DST gaps and repeats included); no cron arithmetic is written here.
import { Cron } from "croner";

/** Cron shorthands accepted besides five fields. */
const NICKNAMES = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);

/** Why a schedule or timezone cannot be used, in words; thrown by `parseSchedule`. */
export class ScheduleError extends Error {
  override readonly name = "ScheduleError";
}

/** A checked schedule: five-field cron (minute precision: Kiln ticks once a minute) and an IANA timezone. */
export interface Schedule {
  cron: string;
  timezone: string;
}

/** Checks a cron expression and timezone; the error says what is wrong with which. */
export function parseSchedule(cron: string, timezone: string): Schedule {
  const trimmed = cron.trim().replace(/\s+/g, " ");
  const fields = trimmed.split(" ");
  if (!NICKNAMES.has(trimmed) && fields.length !== 5) {
    throw new ScheduleError(
      `"${cron}" is not a schedule Kiln understands: it needs five fields (minute hour day-of-month month day-of-week), e.g. "0 9 * * 1-5" for 9:00 on weekdays.`,
    );
  }
  if (!isTimezone(timezone))
    throw new ScheduleError(
      `"${timezone}" is not a timezone: use an IANA name such as "Europe/Berlin", "America/New_York" or "UTC".`,
    );
  try {
    new Cron(trimmed, { timezone, paused: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^CronPattern:\s*/, "") : String(error);
    throw new ScheduleError(`"${cron}" is not a valid schedule (${detail}).`);
  }
  if (nextFireTimes({ cron: trimmed, timezone }, new Date(), 1).length === 0)
    throw new ScheduleError(`"${cron}" never fires.`);
  return { cron: trimmed, timezone };
}

/** Up to `count` fire times strictly after `after`. */
export function nextFireTimes(schedule: Schedule, after: Date, count: number): Date[] {
  return cronOf(schedule).nextRuns(count, after);
}

/** The first fire time strictly after `after`, or null when the schedule has no more. */
export function nextFireTime(schedule: Schedule, after: Date): Date | null {
  return cronOf(schedule).nextRun(after);
}

/**
 * Fire times in `[from, until]`, oldest first, at most `cap` of them; `more`
 * says whether more were left out (a long outage of an every-minute schedule).
 */
export function fireTimesBetween(
  schedule: Schedule,
  from: Date,
  until: Date,
  cap: number,
): { times: Date[]; more: boolean } {
  const cron = cronOf(schedule);
  const times: Date[] = [];
  // Croner's "after" is exclusive: start one millisecond early so `from` itself counts.
  let cursor: Date | null = cron.nextRun(new Date(from.getTime() - 1));
  while (cursor && cursor.getTime() <= until.getTime()) {
    if (times.length === cap) return { times, more: true };
    times.push(cursor);
    cursor = cron.nextRun(cursor);
  }
  return { times, more: false };
}

function cronOf(schedule: Schedule): Cron {
  return new Cron(schedule.cron, { timezone: schedule.timezone, paused: true });
}

function isTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
