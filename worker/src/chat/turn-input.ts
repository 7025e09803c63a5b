import type { AppRecord } from "../core/records";
import type { Env } from "../core/env";
import type { AppRunner } from "../isolates/app-runner";
import type { EmitTurnEvent } from "./turn-events";

/** Everything a chat turn needs: who asks, about which app, and where progress goes. */
export interface TurnInput {
  env: Env;
  runner: AppRunner;
  app: AppRecord;
  userId: string;
  message: string;
  /** Start from this template as it is (the gallery), whatever model is configured. */
  templateId?: string;
  /** The person confirmed that this turn may remove or change preview data. */
  confirmDestructive?: boolean;
  /** The person's IANA time zone as their browser reports it: the model's "now" is theirs. */
  timeZone?: string;
  emit: EmitTurnEvent;
  /** The turn's id, chosen before it starts so its event log and its row share it (`newTurnId`). */
  turnId: string;
  /** Aborted when the person cancels the turn: the model call stops and nothing more is deployed. */
  signal: AbortSignal;
}
