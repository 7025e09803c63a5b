import type { ConnectorId } from "../../../connectors/types";
import type { DeployStage, Diagnostic } from "../core/errors";
import type { TokenUsage } from "../models";

/** Where a check failed, in the order the build runs. */
export type CheckStage = DeployStage;

/**
 * Progress of one chat turn, sent as server-sent events: the SSE `event` is
 * `type`, the `data` is the rest as JSON. `done` is always last.
 */
export type TurnEvent =
  | { type: "app"; app: { id: string; name: string; slug: string; previewUrl: string; liveUrl: string } }
  | { type: "turn"; turnId: string; mode: "model" | "template"; model: string | null }
  | { type: "template-mode"; message: string }
  | { type: "context"; tokens: number; connectors: ConnectorId[]; template: string | null }
  | { type: "plan"; attempt: number; text: string }
  | { type: "question"; text: string }
  | {
      type: "files";
      attempt: number;
      files: { path: string; change: "created" | "changed"; bytes: number }[];
      unchanged: number;
    }
  | { type: "step"; attempt: number; stage: CheckStage; ok: true }
  | { type: "check"; attempt: number; ok: true; steps: CheckStage[]; version: string; connectors: ConnectorId[] }
  | {
      type: "check";
      attempt: number;
      ok: false;
      stage: CheckStage;
      message: string;
      diagnostics: Diagnostic[];
      confirm?: "destructive";
    }
  | { type: "repair"; attempt: number; of: number; reason: string }
  | { type: "preview"; version: string; number: number | null; url: string; summary: string }
  | { type: "failed"; message: string; stillServing: string | null }
  | { type: "usage"; usage: TokenUsage }
  | { type: "done"; turnId: string; status: TurnStatus };

/** How a turn ended. */
export type TurnStatus = "built" | "question" | "failed";

/** Where a turn reports progress (the SSE stream, or a test's array). */
export type EmitTurnEvent = (event: TurnEvent) => Promise<void>;

/**
 * deploySource's `onStagePassed` for one attempt: streams each step as it
 * passes, so a person sees the build move, and collects them for the `check` event.
 */
export function stepReporter(
  emit: EmitTurnEvent,
  attempt: number,
): { steps: CheckStage[]; onStagePassed: (stage: CheckStage) => Promise<void> } {
  const steps: CheckStage[] = [];
  return {
    steps,
    onStagePassed: async (stage) => {
      steps.push(stage);
      await emit({ type: "step", attempt, stage, ok: true });
    },
  };
}
