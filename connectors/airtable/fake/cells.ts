// One cell written to the Airtable fake, with Airtable's checks per field type:
// what each type accepts, what `typecast` converts (adding missing select
// choices, as Airtable does), and which links must point at existing records.
import { apiError, newId } from "./errors.ts";
import { type Field, NUMBER_TYPES, TEXT_TYPES } from "./schema.ts";
import type { Base, Cell } from "./state.ts";

/** Whether two cells hold the same value (how an upsert matches its keys). */
export const sameCell = (a: Cell | undefined, b: Cell | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** One cell value after Airtable's checks; undefined empties the cell. */
export function cellValue(base: Base, field: Field, value: unknown, typecast: boolean): Cell | undefined {
  const refuse = () =>
    apiError(422, "INVALID_VALUE_FOR_COLUMN", `Field "${field.name}" cannot accept the provided value`);
  if (value === null || value === undefined || value === "") return undefined;
  if (TEXT_TYPES.has(field.type)) {
    if (typeof value === "string") return value;
    if (typecast && (typeof value === "number" || typeof value === "boolean")) return String(value);
    throw refuse();
  }
  if (NUMBER_TYPES.has(field.type)) {
    const number =
      typeof value === "number"
        ? value
        : typecast && typeof value === "string" && value.trim() !== ""
          ? Number(value)
          : Number.NaN;
    if (!Number.isFinite(number)) throw refuse();
    if (field.type === "rating" && (!Number.isInteger(number) || number < 1 || number > Number(field.options?.max)))
      throw refuse();
    return number;
  }
  if (field.type === "checkbox") {
    const checked =
      typeof value === "boolean"
        ? value
        : typecast && typeof value === "string"
          ? ["true", "yes", "checked", "1"].includes(value.toLowerCase())
          : undefined;
    if (checked === undefined) throw refuse();
    return checked ? true : undefined;
  }
  if (field.type === "date" || field.type === "dateTime") {
    const text = typeof value === "string" ? value : "";
    const parsed = new Date(text);
    const iso = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text);
    if (text === "" || Number.isNaN(parsed.getTime()) || (!iso && !typecast)) throw refuse();
    if (field.type === "dateTime") return parsed.toISOString();
    return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : parsed.toISOString().slice(0, 10);
  }
  if (field.type === "multipleRecordLinks") {
    const ids = Array.isArray(value) ? value : typecast && typeof value === "string" ? [value] : null;
    const linked = base.tables.find((table) => table.id === field.options?.linkedTableId);
    if (!ids || !linked || ids.some((id) => typeof id !== "string" || !linked.records.has(id))) throw refuse();
    return ids.length === 0 ? undefined : (ids as string[]);
  }
  // singleSelect and multipleSelects: choice names; typecast adds missing choices, as in Airtable.
  const names =
    field.type === "multipleSelects"
      ? Array.isArray(value)
        ? value
        : typecast && typeof value === "string"
          ? value.split(",").map((s) => s.trim())
          : null
      : typeof value === "string"
        ? [value]
        : null;
  if (!names || names.some((name) => typeof name !== "string")) throw refuse();
  field.options ??= {};
  field.options.choices ??= [];
  const choices = field.options.choices;
  for (const name of names as string[]) {
    if (choices.some((choice) => choice.name === name)) continue;
    if (!typecast)
      throw apiError(
        422,
        "INVALID_MULTIPLE_CHOICE_OPTIONS",
        `Insufficient permissions to create new select option ""${name}""`,
      );
    choices.push({ id: newId("sel"), name });
  }
  if (field.type === "multipleSelects") return names.length === 0 ? undefined : (names as string[]);
  return (names as string[])[0];
}
