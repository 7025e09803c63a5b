import { env } from "cloudflare:test";
import type { DataFailure, DataResult } from "../src/data/result";

/** A new, empty app database (its own Durable Object) for one test. */
export function freshStore(prefix = "test") {
  return env.APP_DATA.get(env.APP_DATA.idFromName(`${prefix}:${crypto.randomUUID()}`));
}

/** The value of a successful result; fails the test with the error otherwise. */
export function value<T>(result: DataResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The error of a failed result; fails the test if it succeeded. */
export function failure<T>(result: DataResult<T>): DataFailure {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}
