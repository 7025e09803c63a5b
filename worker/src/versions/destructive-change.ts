import type { MigrationPlan } from "../data/schema-change";
import type { Environment } from "../core/env";
import { ApiError } from "../core/errors";
import type { DestructiveChange } from "../core/api-shapes/versions";

/** 409 listing what a schema change would remove, and how to confirm it. */
export function destructiveChangeError(plan: MigrationPlan, environment: Environment): ApiError {
  const changes: DestructiveChange[] = plan.destructive.map((change) => ({ description: change.description }));
  const list = changes.map((c) => c.description).join("; ");
  return new ApiError(
    409,
    "destructive_change",
    `This version would remove or change existing ${environment} data (${list}). Nothing was changed. To go ahead anyway, send the request again with "confirmDestructive": true; Kiln keeps a backup of the removed data.`,
    { changes },
  );
}
