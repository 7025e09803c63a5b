// The typed Kiln client an MCP agent's snippets call (`kiln.apps.create(…)`), as plain data: each operation is one
// route of the JSON API that scripts use, so the snippet can do exactly what its owner's API token could, no more.
import { ACCESS_OPERATIONS } from "./operations/access-operations";
import { APP_OPERATIONS } from "./operations/app-operations";
import { DATA_OPERATIONS } from "./operations/data-operations";
import type { KilnOperation } from "./operations/operation-fields";
import { RUN_OPERATIONS } from "./operations/run-operations";

export type { FieldPlace, KilnOperation } from "./operations/operation-fields";

/** Every operation, grouped by namespace in the order the declaration lists them. */
export const KILN_OPERATIONS: readonly KilnOperation[] = [
  ...APP_OPERATIONS,
  ...DATA_OPERATIONS,
  ...RUN_OPERATIONS,
  ...ACCESS_OPERATIONS,
];

/** The namespaces, in declaration order (`apps`, `source`, …). */
export const KILN_NAMESPACES: readonly string[] = [...new Set(KILN_OPERATIONS.map((o) => o.name.split(".")[0] ?? ""))];

/** The operation a snippet named, or undefined. */
export function kilnOperation(name: string): KilnOperation | undefined {
  return KILN_OPERATIONS.find((operation) => operation.name === name);
}
