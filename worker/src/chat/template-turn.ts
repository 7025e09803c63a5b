import { adaptTemplate, pickTemplate } from "../templates";
import { deploySource } from "../versions/deploy-source";
import { loadSource } from "../versions/version-store";
import { classifyDeployError } from "./check-failure";
import { finishTurn, listTurns, startTurn } from "./chat-store";
import { describeFileChanges } from "./file-changes";
import type { TurnInput } from "./turn-input";
import { emitSetupNeeds } from "./setup-needs";
import { stepReporter } from "./turn-events";
import type { TurnStatus } from "../core/api-shapes/chat";

/** What the stream says when no model is configured. */
export const templateModeMessage =
  "Template mode: no model is configured, so Kiln picked the closest built-in template and adapted it to your words instead of writing new code. " +
  "To have a model write and change apps, set KILN_MODEL_PROVIDER (openai, anthropic, openai-compatible or workers-ai), KILN_MODEL, and the key as a Worker secret " +
  "(OPENAI_API_KEY, ANTHROPIC_API_KEY, or KILN_MODEL_API_KEY with KILN_MODEL_BASE_URL for a local OpenAI-compatible server).";

/**
 * A turn with no model: pick the closest template for everything asked so far,
 * adapt it, and deploy it through the same checks as any upload.
 */
export async function runTemplateTurn(input: TurnInput): Promise<TurnStatus> {
  const { env, app, emit } = input;
  const history = await listTurns(env.DB, app.id);
  const turnId = await startTurn(env.DB, {
    id: input.turnId,
    appId: app.id,
    userId: input.userId,
    mode: "template",
    model: null,
    message: input.message,
  });
  await emit({ type: "turn", turnId, mode: "template", model: null });
  if (input.templateId === undefined) await emit({ type: "template-mode", message: templateModeMessage });

  // Template mode cannot edit code, so each turn re-adapts from the whole conversation;
  // a template picked in the gallery is used with its own names.
  const request = [...history.map((t) => t.message), input.message].join("\n");
  const adapted =
    input.templateId === undefined
      ? adaptTemplate(pickTemplate(request).id, request)
      : adaptTemplate(input.templateId, "");
  // A gallery pick is used as it is: its notes would only say so.
  const notes = input.templateId === undefined ? adapted.changes.map((c) => c.replace(/\.$/, "")) : [];
  const plan = `Start from the "${adapted.template.title}" template: ${adapted.template.description}${notes.length ? ` Adapted: ${notes.join("; ")}.` : ""}`;
  await emit({ type: "plan", attempt: 1, text: plan });

  const current = app.previewVersion ? ((await loadSource(env.BUNDLES, app.id, app.previewVersion)) ?? {}) : {};
  const changes = describeFileChanges(current, adapted.files);
  await emit({
    type: "files",
    attempt: 1,
    files: changes.files,
    unchanged: Object.keys(adapted.files).length - changes.files.length,
  });
  const usage = { input: 0, output: 0 };
  const files = changes.files.map((f) => f.path);
  try {
    const { steps, onStagePassed } = stepReporter(emit, 1);
    const deployed = await deploySource(env, input.runner, app, input.userId, adapted.files, {
      confirmDestructive: input.confirmDestructive ?? false,
      onStagePassed,
    });
    const summary =
      `From the "${adapted.template.title}" template${notes.length ? `: ${notes.join("; ")}` : ""}.`.slice(0, 200);
    await emit({
      type: "check",
      attempt: 1,
      ok: true,
      steps,
      version: deployed.version,
      connectors: deployed.connectors,
    });
    await emit({
      type: "preview",
      version: deployed.version,
      number: deployed.number,
      url: deployed.previewUrl,
      summary,
    });
    await emitSetupNeeds(env, app, deployed.version, emit);
    await finishTurn(env.DB, turnId, {
      status: "built",
      plan,
      question: null,
      summary,
      failure: null,
      version: deployed.version,
      attempts: 1,
      usage,
      files,
    });
    await emit({ type: "usage", usage });
    await emit({ type: "done", turnId, status: "built" });
    return "built";
  } catch (error) {
    const failure = classifyDeployError(error);
    if (!failure) throw error;
    await emit({
      type: "check",
      attempt: 1,
      ok: false,
      stage: failure.stage,
      message: failure.message,
      diagnostics: failure.diagnostics,
      confirm: failure.confirm,
    });
    const message = `The "${adapted.template.title}" template could not be deployed for this app: ${failure.message}`;
    await finishTurn(env.DB, turnId, {
      status: "failed",
      plan,
      question: null,
      summary: null,
      failure: message,
      version: null,
      attempts: 1,
      usage,
      files,
    });
    await emit({ type: "usage", usage });
    await emit({ type: "failed", message, stillServing: app.previewVersion });
    await emit({ type: "done", turnId, status: "failed" });
    return "failed";
  }
}
