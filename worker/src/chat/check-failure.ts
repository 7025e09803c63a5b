import { ApiError, BuildFailedError, type Diagnostic } from "../core/errors";
import type { CheckStage } from "../core/api-shapes/chat";

/** A failed deploy, sorted into the step that failed and whether the model can fix it. */
export interface CheckFailure {
  stage: CheckStage;
  message: string;
  diagnostics: Diagnostic[];
  /** False when retrying cannot help (e.g. a data-losing schema change needs the person's confirmation). */
  repairable: boolean;
  /** Set when the person can go ahead by confirming (the chat offers a button that resends with `confirmDestructive`). */
  confirm?: "destructive";
}

/** Sorts deploySource's error into the step that failed. */
export function classifyDeployError(error: unknown): CheckFailure | null {
  if (error instanceof BuildFailedError)
    return { stage: error.stage, message: error.message, diagnostics: error.diagnostics, repairable: true };
  if (error instanceof ApiError && error.code === "destructive_change") {
    // The API's wording tells a script how to confirm; in the chat the person confirms with a button.
    const changes = Array.isArray(error.extra.changes)
      ? (error.extra.changes as { description: string }[]).map((c) => c.description)
      : [];
    const message = `This version would remove or change data the preview already has (${changes.join("; ")}). Nothing was changed. Confirm to go ahead; Kiln keeps a backup of the removed data.`;
    return { stage: "migration", message, diagnostics: [], repairable: false, confirm: "destructive" };
  }
  // A schema the existing rows cannot take (e.g. a new required column): the code can fix it (make it optional).
  if (error instanceof ApiError && error.code === "conflict")
    return { stage: "migration", message: error.message, diagnostics: [], repairable: true };
  return null;
}
