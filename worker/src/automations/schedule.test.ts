// Fire times come from croner; these pin down what Kiln promises about them:
// five fields, real timezones, and DST days that neither skip nor double a daily run.
import { describe, expect, it } from "vitest";
import { ScheduleError, fireTimesBetween, nextFireTimes, parseSchedule } from "./schedule";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe("schedules", () => {
  it("fires at 9:00 Berlin time on weekdays, in UTC as the clock changes with the season", () => {
    const weekdays = parseSchedule("0 9 * * 1-5", "Europe/Berlin");
    expect(iso(nextFireTimes(weekdays, new Date("2026-10-22T12:00:00Z"), 4))).toEqual([
      "2026-10-23T07:00:00.000Z", // Friday, summer time (UTC+2)
      "2026-10-26T08:00:00.000Z", // Monday, winter time (UTC+1)
      "2026-10-27T08:00:00.000Z",
      "2026-10-28T08:00:00.000Z",
    ]);
  });

  it("runs a daily 02:30 once on the spring-forward day, when 02:30 does not exist (at 03:00)", () => {
    const nightly = parseSchedule("30 2 * * *", "Europe/Berlin");
    const { times } = fireTimesBetween(nightly, new Date("2026-03-28T00:00:00Z"), new Date("2026-03-30T23:00:00Z"), 10);
    expect(iso(times)).toEqual(["2026-03-28T01:30:00.000Z", "2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"]);
  });

  it("runs a daily 02:30 once on the fall-back day, when 02:30 happens twice", () => {
    const nightly = parseSchedule("30 2 * * *", "Europe/Berlin");
    const { times } = fireTimesBetween(nightly, new Date("2026-10-24T00:00:00Z"), new Date("2026-10-26T23:00:00Z"), 10);
    expect(iso(times)).toEqual(["2026-10-24T00:30:00.000Z", "2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"]);
  });

  it("runs an hourly job every real hour across fall-back (02:00 comes twice)", () => {
    const hourly = parseSchedule("0 * * * *", "Europe/Berlin");
    const { times } = fireTimesBetween(hourly, new Date("2026-10-24T23:30:00Z"), new Date("2026-10-25T02:30:00Z"), 10);
    expect(iso(times)).toEqual(["2026-10-25T00:00:00.000Z", "2026-10-25T01:00:00.000Z", "2026-10-25T02:00:00.000Z"]);
  });

  it("counts a fire time at the start of the range and caps long ranges", () => {
    const everyMinute = parseSchedule("* * * * *", "UTC");
    const { times, more } = fireTimesBetween(
      everyMinute,
      new Date("2026-01-01T00:00:00Z"),
      new Date("2026-01-02T00:00:00Z"),
      5,
    );
    expect(iso(times)[0]).toBe("2026-01-01T00:00:00.000Z");
    expect(times).toHaveLength(5);
    expect(more).toBe(true);
  });

  it.each([
    ["0 25 * * *", "UTC", /hour: 25/],
    ["every day", "UTC", /five fields/],
    ["*/5 * * * * *", "UTC", /five fields/],
    ["0 9 * * *", "Mars/Olympus_Mons", /not a timezone/],
  ])("refuses %s in %s with words", (cron, timezone, words) => {
    expect(() => parseSchedule(cron, timezone)).toThrow(ScheduleError);
    expect(() => parseSchedule(cron, timezone)).toThrow(words);
  });

  it("accepts the usual shorthands", () => {
    expect(parseSchedule("@daily", "UTC").cron).toBe("@daily");
  });
});
