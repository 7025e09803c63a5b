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

/** Reads deploySource's error: its messages say which step failed (build-app.ts, deploy-source.ts). */
export function classifyDeployError(error: unknown): CheckFailure | null {
  if (error instanceof BuildFailedError) return { stage: stageOf(error.message), message: error.message, diagnostics: error.diagnostics, repairable: true };
  if (error instanceof ApiError && error.code === "destructive_change") {
    return { stage: "migration", message: error.message, diagnostics: [], repairable: false };
  }
  return null;
}

function stageOf(message: string): CheckStage {
  if (message.includes("must be fixed before it can run")) return "type-check";
  if (message.includes("packaged")) return "bundle";
  if (message.includes("cannot be built")) return "files";
  if (message.includes("home page")) return "smoke-test";
  if (message.includes("tables") || message.includes("starting")) return "start";
  return "start";
}
