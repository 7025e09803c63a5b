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

// How often a growing answer is reported at most (a new file or the finished plan is reported at once).
const WRITING_EVERY_MS = 400;

/**
 * `askModel`'s `onText` for one attempt: reports the answer as it grows (`writing` events: its length, its plan
 * once closed, the files begun), in order and without holding up the stream; `flush` waits for the last report.
 */
export function writingReporter(
  emit: EmitTurnEvent,
  attempt: number,
): { onText: (text: string) => void; flush: () => Promise<void> } {
  let pending = Promise.resolve();
  let lastAt = 0;
  let lastFiles = 0;
  let planShown = false;
  return {
    onText: (text) => {
      const plan = /<plan>([\s\S]*?)<\/plan>/.exec(text)?.[1]?.trim() ?? null;
      const files = [...text.matchAll(/<file\s+path\s*=\s*"([^"]+)"/g)].map((m) => m[1]!);
      const now = Date.now();
      const news = files.length > lastFiles || (plan !== null && !planShown);
      if (!news && now - lastAt < WRITING_EVERY_MS) return;
      lastAt = now;
      lastFiles = files.length;
      planShown ||= plan !== null;
      pending = pending.then(() => emit({ type: "writing", attempt, characters: text.length, plan, files }));
    },
    flush: () => pending,
  };
}
