import { ApiError, BuildFailedError, type Diagnostic } from "../errors";
import type { CheckStage } from "./turn-events";

/** A failed deploy, sorted into the step that failed and whether the model can fix it. */
export interface CheckFailure {
  stage: CheckStage;
  message: string;
  diagnostics: Diagnostic[];
  /** False when retrying cannot help (e.g. a data-losing schema change needs the person's confirmation). */
  repairable: boolean;
}

/** Sorts deploySource's error into the step that failed. */
export function classifyDeployError(error: unknown): CheckFailure | null {
  if (error instanceof BuildFailedError) return { stage: error.stage, message: error.message, diagnostics: error.diagnostics, repairable: true };
  if (error instanceof ApiError && error.code === "destructive_change") {
    return { stage: "migration", message: error.message, diagnostics: [], repairable: false };
  }
  return null;
}
