import type { MigrationPlan } from "./schema-change";

/**
 * Why a data operation failed. Stable strings the platform API maps to HTTP
 * statuses and the app gateway turns into a plain `Error(message)`.
 */
export type DataErrorCode =
  /** The table (or backup table) does not exist. */
  | "not_found"
  /** The input (schema, row, value, option, SQL) is wrong; the message says how to fix it. */
  | "invalid"
  /** The schema change would drop or retype data and was not confirmed. */
  | "destructive_change"
  /** The schema change cannot be applied as declared, even with confirmation. */
  | "blocked_change"
  /** `query()` was refused because it reaches outside the app's own tables. */
  | "query_refused"
  /** Something unexpected; the message is for engineers. */
  | "internal";

/** Extra structured information attached to a failure, safe to show to the app owner. */
export interface DataErrorDetails {
  /** Every problem found, when there can be several (e.g. schema validation). */
  problems?: string[];
  /** The migration plan that was refused. */
  plan?: MigrationPlan;
}

/** The failure half of `DataResult`: plain data, so it survives Workers RPC. */
export interface DataFailure {
  code: DataErrorCode;
  message: string;
  details?: DataErrorDetails;
}

/**
 * What every Durable Object method returns. Custom Error subclasses lose their
 * fields across Workers RPC, so failures travel as data instead.
 */
export type DataResult<T> = { ok: true; value: T } | { ok: false; error: DataFailure };

/**
 * Thrown inside the Durable Object only, then caught at the RPC boundary by
 * `runAsResult` and turned into `{ ok: false, error }`. Never crosses RPC itself.
 */
export class DataError extends Error {
  override readonly name = "DataError";
  constructor(
    readonly code: DataErrorCode,
    message: string,
    readonly details?: DataErrorDetails,
  ) {
    super(message);
  }
}

/** Runs `operation` and converts its outcome (or any thrown error) into a `DataResult`. */
export function runAsResult<T>(operation: () => T): DataResult<T> {
  try {
    return { ok: true, value: operation() };
  } catch (error) {
    return { ok: false, error: toFailure(error) };
  }
}

/** Turns anything thrown into a `DataFailure`; unknown errors become `internal`. */
export function toFailure(error: unknown): DataFailure {
  if (error instanceof DataError) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: "internal", message: `Unexpected database error: ${message}` };
}
