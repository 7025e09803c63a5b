import { describe, expect, test } from "vitest";
import { describeSchedule } from "./schedule-words";

describe("describeSchedule", () => {
  test.each([
    // Common patterns get natural words.
    ["0 9 * * 1-5", "Europe/Berlin", "Every weekday at 09:00 (Europe/Berlin)"],
    ["0 9 * * MON-FRI", "UTC", "Every weekday at 09:00 (UTC)"],
    ["*/15 * * * *", "UTC", "Every 15 minutes"],
    ["* * * * *", "Europe/Berlin", "Every minute"],
    ["30 * * * *", "UTC", "Every hour at :30"],
    ["0 8 * * *", "UTC", "Every day at 08:00 (UTC)"],
    ["30 18 * * 1,4", "UTC", "On Mondays and Thursdays at 18:30 (UTC)"],
    ["0 7 1 * *", "UTC", "On day 1 of every month at 07:00 (UTC)"],
    ["0 9,17 * * *", "UTC", "Every day at 09:00 and 17:00 (UTC)"],
    ["*/30 9-10 * * *", "UTC", "Every day at 09:00, 09:30, 10:00 and 10:30 (UTC)"],
    // Nicknames.
    ["@daily", "UTC", "Every day at 00:00 (UTC)"],
    ["@midnight", "America/New_York", "Every day at 00:00 (America/New_York)"],
    ["@hourly", "UTC", "Every hour at :00"],
    ["@weekly", "UTC", "On Sundays at 00:00 (UTC)"],
    ["@monthly", "UTC", "On day 1 of every month at 00:00 (UTC)"],
    ["@yearly", "UTC", "On January 1 at 00:00 (UTC)"],
    // Day names and numbers: 0 and 7 are both Sunday; ? is *.
    ["0 9 * * 7", "UTC", "On Sundays at 09:00 (UTC)"],
    ["0 9 * * 0", "UTC", "On Sundays at 09:00 (UTC)"],
    ["0 9 ? * 7", "UTC", "On Sundays at 09:00 (UTC)"],
    ["0 9 * * SAT,SUN", "UTC", "On Saturdays and Sundays at 09:00 (UTC)"],
    ["0 9 * * 5-7", "UTC", "On Fridays, Saturdays and Sundays at 09:00 (UTC)"],
    ["0 9 * * 0-6", "UTC", "Every day at 09:00 (UTC)"],
    // Ranges and steps in the time fields.
    ["*/15 9-17 * * 1-5", "Europe/Berlin", "Every 15 minutes from 09:00 through 17:45 on weekdays (Europe/Berlin)"],
    ["*/5 9-11,14-16 * * *", "UTC", "Every 5 minutes from 09:00 through 11:55 and 14:00 through 16:55 (UTC)"],
    ["30 9-17 * * 1-5", "UTC", "Every hour from 09:30 through 17:30 on weekdays (UTC)"],
    ["0 */2 * * *", "UTC", "Every 2 hours from 00:00 through 22:00 (UTC)"],
    ["0 1-23/2 * * *", "UTC", "Every 2 hours from 01:00 through 23:00 (UTC)"],
    ["10-50/15 * * * *", "UTC", "Every hour at :10, :25 and :40"],
    ["0-10 * * * *", "UTC", "At minutes 0–10 of every hour"],
    ["*/7 * * * *", "UTC", "At minutes 0, 7, 14, …, 56 of every hour"],
    ["5,17,23 1,4,9,13 * * *", "UTC", "Every day at minutes 5, 17 and 23 of hours 1, 4, 9 and 13 (UTC)"],
    // Months: names, steps, lists.
    ["0 0 1 JAN-MAR/2 *", "UTC", "On day 1 of January and March at 00:00 (UTC)"],
    ["0 0 1 */3 *", "UTC", "On day 1 of January, April, July and October at 00:00 (UTC)"],
    ["0 12 * 12 *", "UTC", "Every day in December at 12:00 (UTC)"],
    ["0 0 * 1-11 *", "UTC", "Every day except in December at 00:00 (UTC)"],
    ["*/10 * * dec *", "UTC", "Every 10 minutes in December (UTC)"],
    ["0 9 * 6-8 1", "UTC", "On Mondays in June, July and August at 09:00 (UTC)"],
    // Days of the month.
    ["0 9 */2 * *", "UTC", "On days 1, 3, 5, …, 31 of every month at 09:00 (UTC)"],
    ["0 9 1-7 * *", "UTC", "On days 1–7 of every month at 09:00 (UTC)"],
    ["0 9 1,15 * *", "UTC", "On days 1 and 15 of every month at 09:00 (UTC)"],
    ["0 9 L * *", "UTC", "On the last day of every month at 09:00 (UTC)"],
    ["0 9 1,L * *", "UTC", "On day 1 and the last day of every month at 09:00 (UTC)"],
    ["0 9 LW * *", "UTC", "On the last weekday of every month at 09:00 (UTC)"],
    ["0 9 15W * *", "UTC", "On the weekday nearest day 15 of every month at 09:00 (UTC)"],
    ["0 9 * * 5#2", "UTC", "On the second Friday of every month at 09:00 (UTC)"],
    ["0 9 * * FRI#L", "UTC", "On the last Friday of every month at 09:00 (UTC)"],
    ["0 9 * * 1#1,1#3", "UTC", "On the first and third Monday of every month at 09:00 (UTC)"],
    // Day of month and day of week both restricted: either one (classic cron), unless + asks for both.
    ["0 9 1 * 1", "UTC", "On day 1 of every month and on Mondays at 09:00 (UTC)"],
    ["0 9 1-31 * 1", "UTC", "Every day at 09:00 (UTC)"],
    ["0 9 1 * 0-6", "UTC", "Every day at 09:00 (UTC)"],
    ["0 9 1-7 * +MON", "UTC", "On Mondays that fall on days 1–7 of every month at 09:00 (UTC)"],
  ])("%s in %s: %s", (cron, timezone, words) => {
    expect(describeSchedule(cron, timezone)).toBe(words);
  });

  test("says the pattern itself rather than guess when it cannot read it", () => {
    expect(describeSchedule("not a cron", "UTC")).toBe('On the schedule "not a cron" (UTC)');
  });
});
