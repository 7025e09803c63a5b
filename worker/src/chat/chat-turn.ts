import { type ModelConfig, ModelConfigError, modelConfigFrom } from "../models";
import { runModelTurn } from "./model-turn";
import { runTemplateTurn } from "./template-turn";
import type { TurnInput } from "./turn-input";
import type { TurnStatus } from "../core/api-shapes/chat";

const defaultRepairAttempts = 3;

/** Runs one turn with the configured model, or in template mode when none is configured. */
export async function runChatTurn(input: TurnInput): Promise<TurnStatus> {
  // A template chosen in the gallery is deployed as it is: no model is asked.
  if (input.templateId !== undefined) return runTemplateTurn(input);
  let config: ModelConfig | null;
  try {
    config = modelConfigFrom(input.env);
  } catch (error) {
    if (!(error instanceof ModelConfigError)) throw error;
    await input.emit({
      type: "failed",
      message: `Kiln's model configuration is not usable: ${error.message}`,
      stillServing: input.app.previewVersion,
    });
    await input.emit({ type: "done", turnId: input.turnId, status: "failed" });
    return "failed";
  }
  if (config === null) return runTemplateTurn(input);
  return runModelTurn(input, config, repairAttempts(input.env.KILN_REPAIR_ATTEMPTS));
}

function repairAttempts(value: string | undefined): number {
  const parsed = Number(value);
  return value !== undefined && Number.isInteger(parsed) && parsed >= 0 && parsed <= 10
    ? parsed
    : defaultRepairAttempts;
}
