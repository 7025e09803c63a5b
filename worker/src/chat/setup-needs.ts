import type { TurnEvent } from "../core/api-shapes/chat";
import type { Env } from "../core/env";
import type { AppRecord } from "../core/records";
import { appSetup } from "../setup/app-setup";

/**
 * After a build, what the new version asks its owner for and is still missing: the chat shows it as a setup card,
 * so the person fills it in before trying the app (and before publishing, which waits for it).
 */
export async function emitSetupNeeds(
  env: Env,
  app: AppRecord,
  version: string,
  emit: (event: TurnEvent) => Promise<void>,
): Promise<void> {
  const setup = await appSetup(env, { ...app, previewVersion: version }, version);
  if (setup.items.length === 0) return;
  await emit({ type: "setup", items: setup.items.length, missing: setup.missing });
}
