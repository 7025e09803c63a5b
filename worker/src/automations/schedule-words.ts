// A cron schedule in plain English for the owner. The words are built from the
// sets croner itself parses the pattern into (names, 7 = Sunday, steps, `L`,
// `#`, `W`, the OR of day-of-month and day-of-week), so they cannot disagree
// with when the automation really fires; what has no natural phrase is
// described field by field instead of guessed.
import { CronPattern } from "croner";

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
/** Monday first, Sunday last: how a week reads. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];
/** croner's day-of-week bits: the n-th occurrence in the month (1st…5th), 32 the last, 63 any. */
const ANY_OCCURRENCE = 63;
const LAST_OCCURRENCE = 32;

/** "Every weekday at 09:00 (Europe/Berlin)", "Every 15 minutes", "On day 1 of every month at 07:00 (UTC)". */
export function describeSchedule(cron: string, timezone: string): string {
  let pattern: CronPattern;
  try {
    pattern = new CronPattern(cron.trim(), timezone);
  } catch {
    return `On the schedule "${cron}" (${timezone})`;
  }
  const minutes = indexes(pattern.minute);
  const hours = indexes(pattern.hour);
  const days = describeDays(pattern);
  const time = describeTime(minutes, hours);
  const sentence =
    time.kind === "interval" ? `${time.text}${days.trail ? ` ${days.trail}` : ""}` : `${days.lead} ${time.text}`;
  // Pure minute/hour rhythms read the same in every timezone; anything tied to the clock or calendar names it.
  const clockFree = days.everyDay && hours.length === 24;
  return capitalize(clockFree ? sentence : `${sentence} (${timezone})`);
}

type TimePhrase = { kind: "interval" | "clock"; text: string };

function describeTime(minutes: number[], hours: number[]): TimePhrase {
  const everyHour = hours.length === 24;
  const minuteStep = wholeHourStep(minutes, 60);
  if (everyHour) {
    if (minuteStep === 1) return { kind: "interval", text: "every minute" };
    if (minuteStep !== null) return { kind: "interval", text: `every ${minuteStep} minutes` };
    if (minutes.length <= 6)
      return { kind: "interval", text: `every hour at ${list(minutes.map((m) => `:${pad(m)}`))}` };
    return { kind: "interval", text: `at ${numbers(minutes, "minute", "minutes")} of every hour` };
  }
  const hourRun = progression(hours);
  if (minutes.length === 1 && hourRun && hours.length >= 3) {
    const every = hourRun.step === 1 ? "every hour" : `every ${hourRun.step} hours`;
    return {
      kind: "interval",
      text: `${every} from ${clock(hourRun.first, minutes[0]!)} through ${clock(hourRun.last, minutes[0]!)}`,
    };
  }
  if (minutes.length * hours.length <= 6) {
    return { kind: "clock", text: `at ${list(hours.flatMap((h) => minutes.map((m) => clock(h, m))))}` };
  }
  if (minuteStep !== null) {
    const runs = consecutiveRuns(hours);
    if (runs.length <= 3) {
      const every = minuteStep === 1 ? "every minute" : `every ${minuteStep} minutes`;
      const spans = runs.map(([first, last]) => `${clock(first, 0)} through ${clock(last, 60 - minuteStep)}`);
      return { kind: "interval", text: `${every} from ${list(spans)}` };
    }
  }
  return { kind: "clock", text: `at ${numbers(minutes, "minute", "minutes")} of ${numbers(hours, "hour", "hours")}` };
}

interface DayPhrase {
  /** Starts a sentence: "Every weekday", "On Mondays". */
  lead: string;
  /** Follows an interval: "on weekdays", "" for every day. */
  trail: string;
  everyDay: boolean;
}

function describeDays(pattern: CronPattern): DayPhrase {
  const monthList = indexes(pattern.month);
  const allMonths = monthList.length === 12;
  const months = allMonths ? "" : monthNames(monthList);
  const domCore = dayOfMonthCore(pattern);
  const dow = dayOfWeekCore(pattern);
  const allDom = domCore === null;
  const allDow = dow === null;

  // croner: a `*` on one side leaves the other deciding; both restricted is an OR unless `+` asks for AND.
  let mode: "every" | "dom" | "dow" | "or" | "and";
  if (pattern.useAndLogic) mode = pattern.starDOM || allDom ? (allDow ? "every" : "dow") : allDow ? "dom" : "and";
  else if (pattern.starDOW) mode = allDom ? "every" : "dom";
  else if (pattern.starDOM) mode = allDow ? "every" : "dow";
  else mode = allDom || allDow ? "every" : "or";

  const inMonths = !months
    ? ""
    : months.startsWith("every")
      ? ` ${months.replace("every month ", "")}`
      : ` in ${months}`;
  const ofMonths = months ? `of ${months}` : "of every month";
  switch (mode) {
    case "every":
      return { lead: `every day${inMonths}`, trail: inMonths.trim(), everyDay: allMonths };
    case "dom": {
      const oneDay = monthList.length === 1 && /^day \d+$/.test(domCore!);
      return same(oneDay ? `on ${MONTHS[monthList[0]!]} ${domCore!.slice(4)}` : `on ${domCore} ${ofMonths}`);
    }
    case "dow": {
      const weekdays = dow!.plain && sameSet(dow!.days, [1, 2, 3, 4, 5]);
      if (weekdays) return { lead: `every weekday${inMonths}`, trail: `on weekdays${inMonths}`, everyDay: false };
      return same(dow!.nth ? `on ${dow!.text} ${ofMonths}` : `on ${dow!.text}${inMonths}`);
    }
    case "or":
      return same(
        months
          ? `in ${months}, on ${domCore} of the month and on ${dow!.text}`
          : `on ${domCore} of every month and on ${dow!.text}${dow!.nth ? " of every month" : ""}`,
      );
    case "and":
      return same(
        `on ${dow!.text} that fall${dow!.days.length === 1 && dow!.nth ? "s" : ""} on ${domCore} ${ofMonths}`,
      );
  }
}

function same(text: string): DayPhrase {
  return { lead: text, trail: text, everyDay: false };
}

/** "day 1", "days 1–7 and the last day", …; null when every day of the month matches. */
function dayOfMonthCore(pattern: CronPattern): string | null {
  const days = indexes(pattern.day).map((d) => d + 1);
  const nearest = indexes(pattern.nearestWeekdays).map((d) => d + 1);
  if (days.length === 31) return null;
  const parts: string[] = [];
  if (days.length > 0) parts.push(numbers(days, "day", "days"));
  for (const day of nearest) parts.push(`the weekday nearest day ${day}`);
  if (pattern.lastWeekday) parts.push("the last weekday");
  if (pattern.lastDayOfMonth) parts.push("the last day");
  return list(parts);
}

/** "Mondays and Thursdays", "the second Friday"; null when every day of the week matches. */
function dayOfWeekCore(pattern: CronPattern): { text: string; days: number[]; plain: boolean; nth: boolean } | null {
  const bits = pattern.dayOfWeek;
  const days = WEEK_ORDER.filter((d) => bits[d]);
  const plain = days.every((d) => bits[d] === ANY_OCCURRENCE);
  if (plain && days.length === 7) return null;
  const parts = days.map((d) => {
    const name = WEEKDAYS[d]!;
    const mask = bits[d]!;
    if (mask === ANY_OCCURRENCE) return `${name}s`;
    const which = [1, 2, 3, 4, 5].filter((n) => mask & (1 << (n - 1))).map(ordinalWord);
    if (mask & LAST_OCCURRENCE) which.push("last");
    return `the ${list(which)} ${name}`;
  });
  return { text: list(parts), days, plain, nth: !plain };
}

function monthNames(months: number[]): string {
  if (months.length >= 9) return `every month except in ${list(complement(months, 12).map((m) => MONTHS[m]!))}`;
  return list(months.map((m) => MONTHS[m]!));
}

/** "minute 5", "minutes 0–10 and 30", "days 1, 3, 5, …, 31". */
function numbers(values: number[], one: string, many: string): string {
  if (values.length === 1) return `${one} ${values[0]}`;
  const run = progression(values);
  if (run && run.step > 1 && values.length >= 5) {
    return `${many} ${values.slice(0, 3).join(", ")}, …, ${run.last}`;
  }
  return `${many} ${list(consecutiveRuns(values).flatMap(([a, b]) => (b - a >= 2 ? [`${a}–${b}`] : b === a ? [String(a)] : [String(a), String(b)])))}`;
}

/** The step when `values` are 0, k, 2k, … covering the whole cycle evenly (every k minutes); else null. */
function wholeHourStep(values: number[], cycle: number): number | null {
  if (values.length === cycle) return 1;
  const run = progression(values);
  if (!run || values.length < 2 || run.first !== 0 || cycle % run.step !== 0 || run.last !== cycle - run.step)
    return null;
  return run.step;
}

/** First, last and step when the sorted values are evenly spaced. */
function progression(values: number[]): { first: number; last: number; step: number } | null {
  if (values.length === 0) return null;
  if (values.length === 1) return { first: values[0]!, last: values[0]!, step: 1 };
  const step = values[1]! - values[0]!;
  for (let i = 2; i < values.length; i++) if (values[i]! - values[i - 1]! !== step) return null;
  return { first: values[0]!, last: values[values.length - 1]!, step };
}

function consecutiveRuns(values: number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const value of values) {
    const last = runs[runs.length - 1];
    if (last && last[1] === value - 1) last[1] = value;
    else runs.push([value, value]);
  }
  return runs;
}

function indexes(bits: number[]): number[] {
  return bits.flatMap((bit, index) => (bit ? [index] : []));
}

function complement(values: number[], size: number): number[] {
  return Array.from({ length: size }, (_, i) => i).filter((i) => !values.includes(i));
}

function sameSet(a: number[], b: number[]): boolean {
  return a.length === b.length && b.every((value) => a.includes(value));
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function ordinalWord(n: number): string {
  return ["first", "second", "third", "fourth", "fifth"][n - 1]!;
}

function clock(hour: number, minute: number): string {
  return `${pad(hour)}:${pad(minute)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
