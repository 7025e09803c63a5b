// What a fresh Google fake holds; demo mode shows it. Pure data.
import type { calendar_v3 } from "@googleapis/calendar";

/** Id of the seeded "Kiln demo signups" spreadsheet. */
export const DEMO_SPREADSHEET_ID = "1KilnDemoSignupsSheet00000000000000000000000";

/** Its only sheet, header row first. */
export const demoSignups = {
  title: "Kiln demo signups",
  sheetTitle: "Signups",
  rows: [
    ["Name", "Email", "Plan", "Seats"],
    ["Ada Lovelace", "ada@analytical.example", "Team", 5],
    ["Grace Hopper", "grace@cobol.example", "Business", 40],
    ["Alan Turing", "alan@bletchley.example", "Free", 1],
  ] as (string | number | boolean)[][],
};

function at(base: Date, days: number, hour: number, minute = 0): string {
  const time = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate() + days, hour, minute));
  return time.toISOString().replace(".000Z", "Z");
}

/** A few events on the owner's primary calendar in the days after `now`. */
export function demoEvents(now: Date): calendar_v3.Schema$Event[] {
  const day = (days: number) => at(now, days, 0).slice(0, 10);
  return [
    {
      summary: "Team standup",
      start: { dateTime: at(now, 1, 9) },
      end: { dateTime: at(now, 1, 9, 15) },
      location: "Video call",
    },
    {
      summary: "Customer call with Ada",
      description: "Renewal of the Team plan",
      start: { dateTime: at(now, 2, 14) },
      end: { dateTime: at(now, 2, 15) },
      attendees: [{ email: "ada@analytical.example", displayName: "Ada Lovelace", responseStatus: "accepted" }],
    },
    { summary: "Company offsite", start: { date: day(3) }, end: { date: day(4) } },
  ];
}
