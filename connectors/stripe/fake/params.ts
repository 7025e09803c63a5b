// Typed reads of decoded Stripe parameters, with Stripe's validation errors.
// Every endpoint reads what it supports and then calls `done()`, so a param it
// does not know is refused the way Stripe refuses it ("Received unknown parameter").
import type { FormHash, FormValue } from "./form-decoding.ts";
import { invalidParam, missingParam, unknownParam } from "./stripe-errors.ts";

/** A view of one hash of parameters (the body, or a nested param like `recurring`). */
export class Params {
  readonly values: FormHash;
  /** How this hash is named in error messages: "" for the body, "items[0]" for a nested one. */
  readonly prefix: string;
  private readonly read = new Set<string>();

  constructor(values: FormHash, prefix = "") {
    this.values = values;
    this.prefix = prefix;
  }

  /** The full param name as Stripe quotes it: `recurring[interval]`. */
  nameOf(key: string): string {
    return this.prefix === "" ? key : `${this.prefix}[${key}]`;
  }

  has(key: string): boolean {
    return this.values[key] !== undefined;
  }

  private raw(key: string): FormValue | undefined {
    this.read.add(key);
    return this.values[key];
  }

  /** True when `key` was sent empty (`address=`), Stripe's way to clear a hash; marks it read. */
  cleared(key: string): boolean {
    if (this.values[key] !== "") return false;
    this.read.add(key);
    return true;
  }

  /** A string param; an empty string counts as not given (Stripe's "unset"). */
  string(key: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined || value === "") return undefined;
    if (typeof value !== "string")
      throw invalidParam(
        this.nameOf(key),
        `Invalid string: ${this.nameOf(key)} must be a string`,
        "parameter_invalid_string",
      );
    return value;
  }

  /** A string that may be cleared: "" → null, absent → undefined. */
  nullableString(key: string): string | null | undefined {
    if (this.values[key] === "") {
      this.read.add(key);
      return null;
    }
    return this.string(key);
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined) throw missingParam(this.nameOf(key));
    return value;
  }

  integer(key: string): number | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value))
      throw invalidParam(this.nameOf(key), `Invalid integer: ${value}`, "parameter_invalid_integer");
    return Number(value);
  }

  requiredInteger(key: string): number {
    const value = this.integer(key);
    if (value === undefined) throw missingParam(this.nameOf(key));
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (value !== "true" && value !== "false")
      throw invalidParam(this.nameOf(key), `Invalid boolean: ${value}`, "parameter_invalid_boolean");
    return value === "true";
  }

  /** A string limited to `allowed`, refused with Stripe's "must be one of" wording. */
  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      const choices =
        allowed.length > 1 ? `${allowed.slice(0, -1).join(", ")}, or ${allowed[allowed.length - 1]}` : allowed.join("");
      throw invalidParam(
        this.nameOf(key),
        `Invalid ${this.nameOf(key)}: must be one of ${choices}`,
        "parameter_invalid_string",
      );
    }
    return value as T;
  }

  /** A nested hash param, read through its own `Params` (call `done()` on it too). */
  hash(key: string): Params | undefined {
    const value = this.raw(key);
    if (value === undefined || value === "") return undefined;
    if (typeof value === "string" || Array.isArray(value))
      throw invalidParam(
        this.nameOf(key),
        `Invalid hash: ${this.nameOf(key)} must be a hash`,
        "parameter_invalid_hash",
      );
    return new Params(value, this.nameOf(key));
  }

  /** A list of hashes (`items[0][price]=…`), each read through its own `Params`. */
  hashList(key: string): Params[] | undefined {
    const value = this.raw(key);
    if (value === undefined || value === "") return undefined;
    if (!Array.isArray(value))
      throw invalidParam(
        this.nameOf(key),
        `Invalid array: ${this.nameOf(key)} must be an array`,
        "parameter_invalid_array",
      );
    return value.map((item, index) => {
      const name = `${this.nameOf(key)}[${index}]`;
      if (typeof item === "string" || Array.isArray(item))
        throw invalidParam(name, `Invalid hash: ${name} must be a hash`, "parameter_invalid_hash");
      return new Params(item, name);
    });
  }

  /** A list of strings (`expand[0]=customer`). */
  stringList(key: string): string[] | undefined {
    const value = this.raw(key);
    if (value === undefined || value === "") return undefined;
    if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string")) {
      throw invalidParam(
        this.nameOf(key),
        `Invalid array: ${this.nameOf(key)} must be an array of strings`,
        "parameter_invalid_array",
      );
    }
    return value;
  }

  /**
   * Metadata as Stripe takes it: a hash of strings, `metadata[k]=` removing a key
   * and `metadata=` removing all. Returns the changes; `null` means "clear all".
   */
  metadata(key = "metadata"): Record<string, string> | null | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (value === "") return null;
    if (typeof value === "string" || Array.isArray(value))
      throw invalidParam(
        this.nameOf(key),
        `Invalid hash: ${this.nameOf(key)} must be a hash`,
        "parameter_invalid_hash",
      );
    const changes: Record<string, string> = {};
    for (const [name, item] of Object.entries(value)) {
      if (typeof item !== "string")
        throw invalidParam(
          `${this.nameOf(key)}[${name}]`,
          `Invalid string: metadata values must be strings`,
          "parameter_invalid_string",
        );
      if (name.length > 40)
        throw invalidParam(
          this.nameOf(key),
          `Metadata keys must be at most 40 characters long (${name})`,
          "parameter_invalid_string",
        );
      if (item.length > 500)
        throw invalidParam(
          this.nameOf(key),
          `Metadata values must be at most 500 characters long (${name})`,
          "parameter_invalid_string",
        );
      changes[name] = item;
    }
    return changes;
  }

  /** Refuses the first param nobody read: Stripe's "Received unknown parameter". */
  done(): void {
    for (const key of Object.keys(this.values)) {
      if (!this.read.has(key)) throw unknownParam(this.nameOf(key));
    }
  }
}

/** Applies metadata changes from `Params.metadata()` to stored metadata (at most 50 keys). */
export function applyMetadata(
  current: Record<string, string>,
  changes: Record<string, string> | null | undefined,
): Record<string, string> {
  if (changes === undefined) return current;
  if (changes === null) return {};
  const next = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === "") delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > 50)
    throw invalidParam("metadata", "Metadata can have at most 50 keys", "parameter_invalid_string");
  return next;
}

/** Reads an http(s) URL param (`success_url`, `after_completion[redirect][url]`), refused as Stripe does otherwise. */
export function readUrl(params: Params, key: string): string | undefined {
  const value = params.string(key);
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw invalidParam(params.nameOf(key), "Not a valid URL", "url_invalid");
  return value;
}
