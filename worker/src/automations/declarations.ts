// What an app's `export const automations` declares, read from a loaded
// isolate (the wrapper's KilnMeta.describe sends the settings, never the
// handler) and checked at build time, so a bad schedule is a build error.
import type { SourceFiles } from "../compiler";
import { BuildFailedError } from "../core/errors";
import { problemsAsDiagnostics } from "../compiler/schema-problems";
import { ScheduleError, parseSchedule } from "./schedule";
import type { AutomationDeclaration } from "../core/api-shapes/automations";

/** At most this many automations per app: each scheduled one is a row the minute tick reads. */
export const MAX_AUTOMATIONS = 20;
/** Most attempts an automation may ask for. */
export const MAX_ATTEMPTS = 10;
/** Attempts when the automation does not say. */
export const DEFAULT_ATTEMPTS = 3;

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const KNOWN_SETTINGS = new Set(["cron", "timezone", "webhook", "missed", "attempts", "run"]);

/** Reads the `automations` export; anything malformed fails the build, saying which automation and why. */
export function parseAutomations(files: SourceFiles, declared: unknown): AutomationDeclaration[] {
  if (declared === null || declared === undefined) return [];
  const fail = (problems: string[]) =>
    new BuildFailedError(
      "The automations the app declares are not valid.",
      problemsAsDiagnostics(files, problems, "automations"),
      "start",
    );
  if (typeof declared !== "object" || Array.isArray(declared)) {
    throw fail(["`automations` must be an object: { name: { cron, timezone, run } }."]);
  }
  const entries = Object.entries(declared as Record<string, unknown>);
  if (entries.length > MAX_AUTOMATIONS)
    throw fail([`An app may declare at most ${MAX_AUTOMATIONS} automations; it declares ${entries.length}.`]);
  const problems: string[] = [];
  const parsed: AutomationDeclaration[] = [];
  for (const [name, raw] of entries) {
    const result = parseOne(name, raw);
    if (typeof result === "string") problems.push(result);
    else parsed.push(result);
  }
  if (problems.length > 0) throw fail(problems);
  return parsed.sort((a, b) => a.name.localeCompare(b.name));
}

// One automation, or the sentence saying what is wrong with it.
function parseOne(name: string, raw: unknown): AutomationDeclaration | string {
  const where = `automation "${name}"`;
  if (!NAME.test(name))
    return `${where}: a name must start with a letter and use only letters, digits, "-" and "_" (at most 64).`;
  if (raw === null || typeof raw !== "object") return `${where} must be an object with a run function.`;
  const settings = raw as Record<string, unknown>;
  const unknown = Object.keys(settings).filter((key) => !KNOWN_SETTINGS.has(key));
  if (unknown.length > 0)
    return `${where} has settings Kiln does not know: ${unknown.join(", ")} (known: cron, timezone, webhook, missed, attempts, run).`;
  if (settings.run !== "function") return `${where} needs a run(run, env) function.`;
  if (settings.cron !== undefined && typeof settings.cron !== "string")
    return `${where}: cron must be text such as "0 9 * * 1-5".`;
  if (settings.timezone !== undefined && typeof settings.timezone !== "string")
    return `${where}: timezone must be text such as "Europe/Berlin".`;
  if (settings.webhook !== undefined && typeof settings.webhook !== "boolean")
    return `${where}: webhook must be true or false.`;
  if (settings.missed !== undefined && settings.missed !== "skip" && settings.missed !== "run_once")
    return `${where}: missed must be "skip" or "run_once".`;
  const attempts = settings.attempts ?? DEFAULT_ATTEMPTS;
  if (typeof attempts !== "number" || !Number.isInteger(attempts) || attempts < 1 || attempts > MAX_ATTEMPTS) {
    return `${where}: attempts must be a whole number from 1 to ${MAX_ATTEMPTS}.`;
  }
  const timezone = typeof settings.timezone === "string" ? settings.timezone : "UTC";
  let cron: string | null = null;
  if (typeof settings.cron === "string") {
    try {
      cron = parseSchedule(settings.cron, timezone).cron;
    } catch (error) {
      if (error instanceof ScheduleError) return `${where}: ${error.message}`;
      throw error;
    }
  } else if (settings.timezone !== undefined) {
    return `${where} has a timezone but no cron schedule.`;
  }
  // Neither cron nor webhook is allowed: such an automation runs only by hand.
  const webhook = settings.webhook === true;
  return { name, cron, timezone, webhook, missed: settings.missed === "skip" ? "skip" : "run_once", attempts };
}

/** Declarations as stored with a version (JSON text in D1). */
export function parseStoredAutomations(text: string | null | undefined): AutomationDeclaration[] {
  if (!text) return [];
  const value = JSON.parse(text) as unknown;
  return Array.isArray(value) ? (value as AutomationDeclaration[]) : [];
}
