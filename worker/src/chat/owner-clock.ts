// The model's sense of "now": models otherwise guess today's date from their training, and date-window logic
// ("yesterday", "this week", "open now") is then right only by luck.

/** The IANA time zone the person's browser reports, or UTC when it reports none (or one this runtime lacks). */
export function ownerTimeZone(reported: string | undefined): string {
  if (!reported) return "UTC";
  try {
    return new Intl.DateTimeFormat("en", { timeZone: reported }).resolvedOptions().timeZone;
  } catch {
    return "UTC";
  }
}

/** One line for the context: the date, weekday and time in the owner's zone, with its UTC offset. */
export function clockLine(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "long",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "shortOffset",
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const offset = part("timeZoneName").replace("GMT", "UTC") || "UTC";
  return `Now: ${part("weekday")} ${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")} in ${timeZone} (${offset}), the owner's time zone. Apps run in UTC: compute dates in a zone with Intl.DateTimeFormat({ timeZone }), never from the server's local time.`;
}
