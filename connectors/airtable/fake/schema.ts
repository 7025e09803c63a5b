// Field and table definitions of the Airtable fake: Airtable's rules for the
// write format of `POST …/tables` and `POST …/fields` (required options, names
// unique regardless of case, types the API cannot create), and the read format
// of `GET /v0/meta/bases/{baseId}/tables`.
import { ApiError, apiError, newId } from "./errors.ts";
import type { SeedField } from "./seed.ts";

/** Airtable's answer to a body it cannot use; its real message names nothing more. */
export const INVALID_REQUEST = (): ApiError =>
  apiError(422, "INVALID_REQUEST_UNKNOWN", "Invalid request: parameter validation failed. Check your request data.");

export interface Choice {
  id: string;
  name: string;
  color?: string;
}

/** A field as stored: Airtable's read format. */
export interface Field {
  id: string;
  name: string;
  type: string;
  description?: string;
  options?: { choices?: Choice[]; [option: string]: unknown };
}

export const TEXT_TYPES = new Set(["singleLineText", "multilineText", "richText", "email", "url", "phoneNumber"]);
export const NUMBER_TYPES = new Set(["number", "currency", "percent", "duration", "rating"]);
/** Types whose cells the fake holds. */
const STORED_TYPES = new Set([
  ...TEXT_TYPES,
  ...NUMBER_TYPES,
  "checkbox",
  "singleSelect",
  "multipleSelects",
  "date",
  "dateTime",
  "multipleRecordLinks",
]);
/** Types Airtable computes itself: its API cannot create them. */
const COMPUTED_TYPES = new Set([
  "formula",
  "rollup",
  "count",
  "multipleLookupValues",
  "autoNumber",
  "createdTime",
  "lastModifiedTime",
  "createdBy",
  "lastModifiedBy",
  "button",
  "externalSyncSource",
  "aiText",
  "manualSort",
]);
/** Types Airtable creates that the fake does not hold. */
const UNSTORED_TYPES = new Set(["barcode", "singleCollaborator", "multipleCollaborators", "multipleAttachments"]);
/** Types a primary field may not have. */
const NOT_PRIMARY = new Set(["checkbox", "multipleRecordLinks", "multipleAttachments"]);

const BRIGHT = ["green", "teal", "cyan", "blue", "purple", "pink", "red", "orange", "yellow", "gray"].map(
  (hue) => `${hue}Bright`,
);
const COLORS = new Set(
  ["blue", "cyan", "teal", "green", "yellow", "orange", "red", "pink", "purple", "gray"].flatMap((hue) =>
    ["Light2", "Light1", "Bright", "Dark1"].map((shade) => `${hue}${shade}`),
  ),
);
const DATE_FORMATS: Record<string, string> = {
  local: "l",
  friendly: "LL",
  us: "M/D/YYYY",
  european: "D/M/YYYY",
  iso: "YYYY-MM-DD",
};
const TIME_FORMATS: Record<string, string> = { "12hour": "h:mma", "24hour": "HH:mm" };
const DURATION_FORMATS = new Set(["h:mm", "h:mm:ss", "h:mm:ss.S", "h:mm:ss.SS", "h:mm:ss.SSS"]);
const CHECKBOX_ICONS = new Set(["check", "xCheckbox", "star", "heart", "thumbsUp", "flag", "dot"]);
const RATING_ICONS = new Set(["star", "heart", "thumbsUp", "flag", "dot"]);

type Options = Record<string, unknown>;
const isObject = (value: unknown): value is Options =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isInteger = (value: unknown, min: number, max: number): value is number =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

function dateFormat(value: unknown): { name: string; format: string } {
  if (!isObject(value) || typeof value.name !== "string" || !(value.name in DATE_FORMATS)) throw INVALID_REQUEST();
  const format = DATE_FORMATS[value.name];
  if (value.format !== undefined && value.format !== format) throw INVALID_REQUEST();
  return { name: value.name, format };
}

/** The stored options of a field of `type`, from its write format; refuses what Airtable refuses. */
function readOptions(type: string, options: unknown, tableIds: ReadonlySet<string>): Field["options"] {
  const given: Options = isObject(options) ? options : {};
  const need = (ok: boolean) => {
    if (!ok) throw INVALID_REQUEST();
  };
  switch (type) {
    case "number":
    case "percent":
      need(isInteger(given.precision, 0, 8));
      return { precision: given.precision };
    case "currency":
      need(isInteger(given.precision, 0, 7) && typeof given.symbol === "string");
      return { precision: given.precision, symbol: given.symbol };
    case "duration":
      need(typeof given.durationFormat === "string" && DURATION_FORMATS.has(given.durationFormat));
      return { durationFormat: given.durationFormat };
    case "rating":
      need(
        isInteger(given.max, 1, 10) &&
          typeof given.icon === "string" &&
          RATING_ICONS.has(given.icon) &&
          BRIGHT.includes(String(given.color)),
      );
      return { max: given.max, icon: given.icon, color: given.color };
    case "checkbox":
      need(typeof given.icon === "string" && CHECKBOX_ICONS.has(given.icon) && BRIGHT.includes(String(given.color)));
      return { icon: given.icon, color: given.color };
    case "singleSelect":
    case "multipleSelects": {
      const choices = given.choices;
      need(Array.isArray(choices));
      const seen = new Set<string>();
      return {
        choices: (choices as unknown[]).map((choice) => {
          need(isObject(choice) && typeof choice.name === "string" && choice.name !== "" && !seen.has(choice.name));
          const { name, color } = choice as { name: string; color?: unknown };
          need(color === undefined || COLORS.has(String(color)));
          seen.add(name);
          return { id: newId("sel"), name, ...(color === undefined ? {} : { color: color as string }) };
        }),
      };
    }
    case "date":
      return { dateFormat: dateFormat(given.dateFormat) };
    case "dateTime": {
      const time = given.timeFormat;
      need(isObject(time) && typeof time.name === "string" && time.name in TIME_FORMATS);
      need(typeof given.timeZone === "string" && given.timeZone !== "");
      const name = (time as Options).name as string;
      return {
        dateFormat: dateFormat(given.dateFormat),
        timeFormat: { name, format: TIME_FORMATS[name] },
        timeZone: given.timeZone,
      };
    }
    case "multipleRecordLinks":
      need(typeof given.linkedTableId === "string" && tableIds.has(given.linkedTableId));
      return { linkedTableId: given.linkedTableId, isReversed: false, prefersSingleRecordLink: false };
    default:
      return undefined;
  }
}

/**
 * A field from its write format. `taken`: the names already in the table (any case); `tableIds`: the tables
 * of the base a link may point to. Throws Airtable's 422s.
 */
export function makeField(
  spec: unknown,
  taken: readonly string[],
  tableIds: ReadonlySet<string>,
  options: { primary?: boolean } = {},
): Field {
  if (!isObject(spec)) throw INVALID_REQUEST();
  const { name, type, description } = spec as Partial<SeedField>;
  if (typeof name !== "string" || name.trim() === "" || taken.some((t) => t.toLowerCase() === name.toLowerCase()))
    throw apiError(
      422,
      "DUPLICATE_OR_EMPTY_FIELD_NAME",
      typeof name === "string" && name.trim() !== ""
        ? `A field named "${name}" already exists in this table. Field names must be unique (ignoring case).`
        : "A field name cannot be empty.",
    );
  if (typeof type !== "string") throw INVALID_REQUEST();
  if (COMPUTED_TYPES.has(type))
    throw apiError(422, "UNSUPPORTED_FIELD_TYPE_FOR_CREATE", `Creating fields of type "${type}" is not supported.`);
  if (UNSTORED_TYPES.has(type))
    throw apiError(422, "INVALID_FIELD_TYPE", `Field type "${type}" is not supported by the Kiln fake.`);
  if (!STORED_TYPES.has(type)) throw INVALID_REQUEST();
  if (options.primary && NOT_PRIMARY.has(type)) throw INVALID_REQUEST();
  if (description !== undefined && (typeof description !== "string" || description === "")) throw INVALID_REQUEST();
  const stored = readOptions(type, spec.options, tableIds);
  return {
    id: newId("fld"),
    name,
    type,
    ...(description ? { description } : {}),
    ...(stored ? { options: stored } : {}),
  };
}

/** A name for a table or a change to one: a non-empty string. */
export function checkName(value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") throw INVALID_REQUEST();
  return value;
}

/** An optional description: a non-empty string of at most 20,000 characters. */
export function checkDescription(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "" || value.length > 20_000) throw INVALID_REQUEST();
  return value;
}

export { ApiError };
