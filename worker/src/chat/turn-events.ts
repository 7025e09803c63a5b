import type { CheckStage, TurnEvent } from "../core/api-shapes/chat";

// The events' shapes are the API's contract, shared with the web UI (core/api-shapes/chat.ts).

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
