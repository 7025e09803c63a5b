import type { SetupItem } from "../core/api-shapes/setup";
import { ApiError } from "../core/errors";

// Values that look like credentials never become CONFIG: apps get those only through connections.
const SECRET_LOOKING =
  /^(sk|rk|pk)_(live|test)_|^(pat|key)[A-Za-z0-9]{10,}\.|^ya29\.|^gh[pousr]_|^xox[abpr]-|^AKIA[0-9A-Z]{16}$/;
// Names that say their value is a credential.
const SECRET_NAMED = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

/** Config names: what an app reads as `env.CONFIG.<name>`. */
const CONFIG_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Bounds of an app's config: it travels in every routing-table row and names the isolate. */
export const CONFIG_LIMITS = { maxValues: 50, maxValueChars: 4096 } as const;

/** Why `values` cannot be an app's config (a bad name, too many or too long, a credential), or null. */
export function configProblem(values: Readonly<Record<string, string>>): string | null {
  const entries = Object.entries(values);
  if (entries.length > CONFIG_LIMITS.maxValues) return `An app has at most ${CONFIG_LIMITS.maxValues} config values.`;
  for (const [key, value] of entries) {
    if (!CONFIG_NAME.test(key)) return `"${key.slice(0, 70)}" can't be a config name: use letters, digits and _.`;
    if (value.length > CONFIG_LIMITS.maxValueChars)
      return `${key} is too long (at most ${CONFIG_LIMITS.maxValueChars} characters).`;
    const secret = secretConfigProblem(key, value);
    if (secret) return secret;
  }
  return null;
}

/** Why `key = value` cannot be an app's config value (a credential, by its look or its name), or null. */
export function secretConfigProblem(key: string, value: string): string | null {
  if (SECRET_LOOKING.test(value.trim()))
    return `${key} looks like a secret key. Keys go in Connections, where apps never see them.`;
  if (SECRET_NAMED.test(key) && value.trim() !== "")
    return `${key} is named like a secret. Apps hold no secrets: keys go in Connections, and sign-in is Kiln's (Access tab).`;
  return null;
}

/**
 * The value to store for `key` of a setup item, checked by the item's type and normalised (a Google Sheet's URL
 * becomes its id); an unusable value is a 400 in words the owner can act on.
 */
export function setupValue(item: SetupItem, key: string, raw: string): string {
  const value = raw.trim();
  const refuse = (why: string) => new ApiError(400, "bad_request", `${item.label}: ${why}`);
  if (value === "") {
    if (item.optional) return "";
    throw refuse("this is needed; fill it in.");
  }
  if (value.length > 2000) throw refuse("that is too long (at most 2,000 characters).");
  if (SECRET_LOOKING.test(value))
    throw refuse("that looks like a secret key. Keys go in Connections, where apps never see them.");
  switch (item.type) {
    case "email":
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) throw refuse(`"${value}" is not an email address.`);
      return value;
    case "url":
      if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
        throw refuse(`"${value}" is not a web address starting with https://.`);
      return value;
    case "number":
      if (!Number.isFinite(Number(value))) throw refuse(`"${value}" is not a number.`);
      return value;
    case "time":
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) throw refuse(`"${value}" is not a time like 08:30.`);
      return value;
    case "timezone":
      if (!isTimeZone(value)) throw refuse(`"${value}" is not a time zone such as Europe/Berlin or America/New_York.`);
      return value;
    case "text":
      return value;
    case "google_sheet": {
      const id = /\/spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(value)?.[1] ?? value;
      if (!/^[A-Za-z0-9_-]{10,}$/.test(id)) throw refuse("paste the spreadsheet's address (or its id).");
      return id;
    }
    case "airtable_table":
      if (key.endsWith("_BASE")) {
        if (!/^app[A-Za-z0-9]{14}$/.test(value)) throw refuse(`"${value}" is not an Airtable base id (app…).`);
      } else if (!/^tbl[A-Za-z0-9]{14}$/.test(value) && !/^[^/]{1,100}$/.test(value))
        throw refuse(`"${value}" is not an Airtable table id (tbl…) or name.`);
      return value;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
