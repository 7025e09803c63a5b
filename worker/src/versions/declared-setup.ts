import type { SourceFiles } from "../compiler";
import { problemsAsDiagnostics } from "../compiler/schema-problems";
import type { SetupItem, SetupItemStatus } from "../core/api-shapes/setup";
import { AIRTABLE_FIELD_KINDS, SETUP_VALUE_TYPES } from "../core/api-shapes/setup";
import { BuildFailedError } from "../core/errors";

/** At most this many setup items per app: a setup card, not a form builder. */
export const MAX_SETUP_ITEMS = 20;
/** CONFIG names are upper-case words: what `env.CONFIG.OWNER_EMAIL` reads naturally as. */
export const SETUP_KEY = /^[A-Z][A-Z0-9_]{0,40}$/;

/**
 * Reads `export const setup` from what the bundle declared; a malformed one fails the build saying what to write,
 * so the model fixes it in its repair loop rather than the owner meeting it on a card.
 */
export function parseDeclaredSetup(files: SourceFiles, declared: unknown): SetupItem[] {
  const fail = (problem: string) =>
    new BuildFailedError(
      "What the app needs from its owner (`setup`) is not declared correctly.",
      problemsAsDiagnostics(files, [problem], "default"),
      "start",
    );
  if (declared === null || declared === undefined) return [];
  if (typeof declared !== "object" || Array.isArray(declared))
    throw fail(
      '`setup` must be an object by CONFIG name, e.g. { OWNER_EMAIL: { type: "email", label: "Your email" } }.',
    );
  const entries = Object.entries(declared as Record<string, unknown>);
  if (entries.length > MAX_SETUP_ITEMS)
    throw fail(`An app may ask its owner for at most ${MAX_SETUP_ITEMS} things; it asks for ${entries.length}.`);
  return entries.map(([key, value]) => parseItem(key, value, fail));
}

function parseItem(key: string, value: unknown, fail: (problem: string) => Error): SetupItem {
  if (!SETUP_KEY.test(key)) throw fail(`The setup name ${JSON.stringify(key)} must be upper-case like OWNER_EMAIL.`);
  const item = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const label = text(item.label);
  if (!label) throw fail(`setup.${key} needs a \`label\`: the words the owner reads, e.g. "Your email".`);
  const base = { key, label, help: text(item.help) || null, optional: item.optional === true };
  const type = item.type;
  if ((SETUP_VALUE_TYPES as readonly unknown[]).includes(type))
    return { ...base, type: type as (typeof SETUP_VALUE_TYPES)[number], default: text(item.default) || null };
  if (type === "google_sheet") {
    const title = text(item.title);
    if (!title) throw fail(`setup.${key} (a Google Sheet) needs the spreadsheet's \`title\`.`);
    const headers = Array.isArray(item.headers) ? item.headers.map(text).filter((h) => h !== "") : [];
    return { ...base, type, title, headers };
  }
  if (type === "airtable_table") {
    const name = text(item.name);
    if (!name) throw fail(`setup.${key} (an Airtable table) needs the table's \`name\`.`);
    const fields = typeof item.fields === "object" && item.fields !== null ? item.fields : {};
    const parsed: Record<string, (typeof AIRTABLE_FIELD_KINDS)[number]> = {};
    for (const [field, kind] of Object.entries(fields)) {
      if (!(AIRTABLE_FIELD_KINDS as readonly unknown[]).includes(kind))
        throw fail(`setup.${key}.fields.${field} must be one of ${AIRTABLE_FIELD_KINDS.join(", ")}.`);
      parsed[field] = kind as (typeof AIRTABLE_FIELD_KINDS)[number];
    }
    if (Object.keys(parsed).length === 0) throw fail(`setup.${key} (an Airtable table) needs its \`fields\`.`);
    return { ...base, type, name, fields: parsed };
  }
  const types = [...SETUP_VALUE_TYPES, "google_sheet", "airtable_table"].map((t) => `"${t}"`).join(", ");
  throw fail(`setup.${key}.type must be one of ${types}.`);
}

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/** The CONFIG names an item fills: an Airtable table needs its base too. */
export function configKeysOf(item: SetupItem): string[] {
  return item.type === "airtable_table" ? [item.key, `${item.key}_BASE`] : [item.key];
}

/** Config values to add for items with a `default` the app has no value for yet (written when a version declares them). */
export function setupDefaults(
  items: readonly SetupItem[],
  config: Readonly<Record<string, string>>,
): Record<string, string> {
  const added: Record<string, string> = {};
  for (const item of items)
    if ("default" in item && item.default !== null && !config[item.key]) added[item.key] = item.default;
  return added;
}

/** Each item against the app's config values: set when every CONFIG name it fills has a value. */
export function setupStatus(items: readonly SetupItem[], config: Readonly<Record<string, string>>): SetupItemStatus[] {
  return items.map((item) => {
    const values = Object.fromEntries(configKeysOf(item).map((key) => [key, config[key] || null]));
    return { item, values, set: Object.values(values).every((v) => v !== null) };
  });
}

/** Labels of the required items the config does not fill yet: what publishing waits for. */
export function missingSetup(items: readonly SetupItem[], config: Readonly<Record<string, string>>): string[] {
  return setupStatus(items, config)
    .filter((status) => !status.set && !status.item.optional)
    .map((status) => status.item.label);
}
