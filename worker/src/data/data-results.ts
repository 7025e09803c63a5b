import { ApiError, type ErrorCode, type ErrorStatus } from "../core/errors";
import type { DataErrorCode, DataResult } from "./result";

const STATUS: Record<DataErrorCode, [ErrorStatus, ErrorCode]> = {
  not_found: [404, "not_found"],
  invalid: [400, "bad_request"],
  destructive_change: [409, "destructive_change"],
  blocked_change: [409, "conflict"],
  query_refused: [400, "bad_request"],
  internal: [500, "internal"],
};

/** A data store's answer, or the API error its failure maps to (failures cross RPC as data, see `result.ts`). */
export function dataValue<T>(result: DataResult<T>): T {
  if (result.ok) return result.value;
  const [status, code] = STATUS[result.error.code];
  throw new ApiError(status, code, result.error.message);
}
