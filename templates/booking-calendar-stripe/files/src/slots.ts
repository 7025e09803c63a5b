// Free slots of a day: the owner's working hours (CONFIG.DAY_START / DAY_END, hours in UTC,
// default 9–17) cut into CONFIG.SLOT_MINUTES (default 60) slots, minus Google Calendar's busy times.
import type { AppEnv } from "kiln";
import { google } from "kiln/google";

/** A bookable stretch of time (ISO-8601, UTC). */
export interface Slot {
  start: string;
  end: string;
}

/** The day asked for is not a day ("2025-06-01" is). */
export class BadDayError extends Error {
  readonly name = "BadDayError";
}

function setting(env: AppEnv, name: string, fallback: number, min: number, max: number): number {
  const value = Number(env.CONFIG[name] ?? fallback);
  return Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}

/** Every slot of the working day `day` ("YYYY-MM-DD"), busy or not. */
export function daySlots(env: AppEnv, day: string): Slot[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new BadDayError(`"${day}" is not a day; use the form 2025-06-01.`);
  const from = setting(env, "DAY_START", 9, 0, 23);
  const to = setting(env, "DAY_END", 17, from + 1, 24);
  const minutes = setting(env, "SLOT_MINUTES", 60, 10, 480);
  const slots: Slot[] = [];
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  for (let at = dayStart + from * 3_600_000; at + minutes * 60_000 <= dayStart + to * 3_600_000; at += minutes * 60_000) {
    slots.push({ start: new Date(at).toISOString(), end: new Date(at + minutes * 60_000).toISOString() });
  }
  return slots;
}

/** The slots of `day` that overlap no busy time on the owner's primary calendar and have not started yet. */
export async function freeSlots(env: AppEnv, day: string, now = Date.now()): Promise<Slot[]> {
  const all = daySlots(env, day);
  if (all.length === 0) return [];
  const answer = await google.calendar.freebusy.query({ requestBody: { timeMin: all[0]!.start, timeMax: all[all.length - 1]!.end, items: [{ id: "primary" }] } });
  const busy = (answer.calendars?.primary?.busy ?? []).map((b) => ({ start: Date.parse(b.start ?? ""), end: Date.parse(b.end ?? "") }));
  return all.filter((slot) => Date.parse(slot.start) > now && !busy.some((b) => b.start < Date.parse(slot.end) && b.end > Date.parse(slot.start)));
}
