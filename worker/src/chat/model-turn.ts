import type { ModelMessage } from "ai";
import {
  type ModelAnswer,
  type ModelConfig,
  type TokenUsage,
  AnswerFormatError,
  ModelCallError,
  addUsage,
  askModel,
  describeModel,
  parseModelAnswer,
} from "../models";
import { deploySource } from "../versions/deploy-source";
import { loadSource } from "../versions/version-store";
import { connectorCatalogs } from "../compiler/seed";
import { lookUpDeclarations } from "./api-lookup";
import { appContext } from "./app-context";
import { emitSetupNeeds } from "./setup-needs";
import { classifyDeployError } from "./check-failure";
import { finishTurn, listTurns, startTurn, type TurnOutcome } from "./chat-store";
import { describeFileChanges } from "./file-changes";
import type { TurnInput } from "./turn-input";
import { formatMessage, historyMessages, repairMessage, requestMessage } from "./turn-prompts";
import { stepReporter, writingReporter } from "./turn-events";
import type { CheckStage, TurnStatus } from "../core/api-shapes/chat";

/** Lookups of declarations one turn may make before it must write files; a third counts as a failed attempt. */
const MAX_LOOKUPS = 2;

/**
 * One turn with a model: context + history + current files → answer → deploySource
 * (type-check, bundle, smoke start, migrate, preview); a failed check goes back to the
 * model with its diagnostics, up to `repairAttempts` times. Only a build that passes is deployed.
 */
export async function runModelTurn(input: TurnInput, config: ModelConfig, repairAttempts: number): Promise<TurnStatus> {
  const { env, app, emit } = input;
  const history = await listTurns(env.DB, app.id);
  const turnId = await startTurn(env.DB, {
    id: input.turnId,
    appId: app.id,
    userId: input.userId,
    mode: "model",
    model: describeModel(config),
    message: input.message,
  });
  await emit({ type: "turn", turnId, mode: "model", model: describeModel(config) });

  const requestText = [...history.map((t) => t.message), input.message].join("\n");
  const context = await appContext(env, app, requestText, { timeZone: input.timeZone });
  await emit({
    type: "context",
    tokens: context.tokens,
    connectors: context.connectors,
    template: context.template.id,
  });

  const currentFiles = app.previewVersion ? await loadSource(env.BUNDLES, app.id, app.previewVersion) : null;
  const messages: ModelMessage[] = [...historyMessages(history), requestMessage(input.message, currentFiles)];
  let usage: TokenUsage = { input: 0, output: 0 };
  let candidate: Record<string, string> = { ...(currentFiles ?? {}) };
  let plan: string | null = null;
  let lastFailure = "";
  const written = new Set<string>();
  const finish = async (outcome: Omit<TurnOutcome, "usage" | "files" | "plan">): Promise<TurnStatus> => {
    await finishTurn(env.DB, turnId, { ...outcome, plan, usage, files: [...written].sort() });
    await emit({ type: "usage", usage });
    if (outcome.status === "failed")
      await emit({ type: "failed", message: outcome.failure ?? lastFailure, stillServing: app.previewVersion });
    await emit({ type: "done", turnId, status: outcome.status });
    return outcome.status;
  };

  const totalAttempts = 1 + repairAttempts;
  let lookups = 0;
  // Types already given in this turn's lookups: each is sent once.
  const shownTypes = new Set<string>();
  // The person pressed Cancel: the model call is aborted and nothing more is deployed.
  const cancelled = (attempt: number) =>
    finish({
      status: "cancelled",
      question: null,
      summary: null,
      failure: `You cancelled this turn. Nothing more was deployed; the preview still runs ${app.previewVersion ? "the version it ran before" : "nothing yet"}.`,
      version: null,
      attempts: attempt,
    });
  for (let attempt = 1; attempt <= totalAttempts; attempt++) {
    if (input.signal.aborted) return cancelled(attempt);
    let reply: { text: string; usage: TokenUsage };
    try {
      const writing = writingReporter(emit, attempt);
      reply = await askModel(env, config, context.text, messages, { signal: input.signal, onText: writing.onText });
      await writing.flush();
    } catch (error) {
      if (input.signal.aborted) return cancelled(attempt);
      if (!(error instanceof ModelCallError)) throw error;
      return finish({
        status: "failed",
        question: null,
        summary: null,
        failure: error.message,
        version: null,
        attempts: attempt,
      });
    }
    usage = addUsage(usage, reply.usage);
    messages.push({ role: "assistant", content: reply.text });
    let answer: ModelAnswer;
    try {
      answer = parseModelAnswer(reply.text);
    } catch (error) {
      if (!(error instanceof AnswerFormatError)) throw error;
      lastFailure = "The model's answer was not in the format Kiln expects.";
      if (attempt < totalAttempts) {
        await emit({ type: "repair", attempt: attempt + 1, of: totalAttempts, reason: lastFailure });
        messages.push(formatMessage(error.message));
      }
      continue;
    }
    plan = answer.plan || plan;
    if (answer.kind === "lookup") {
      // Reading declarations is not an attempt at the app: the same attempt asks the model again.
      const looked = lookUpDeclarations(connectorCatalogs, answer.keys, shownTypes);
      lookups += 1;
      await emit({ type: "lookup", attempt, keys: answer.keys, found: looked.found, unknown: looked.unknown });
      messages.push({
        role: "user",
        content: lookups < MAX_LOOKUPS ? looked.text : `${looked.text}\nThat was the last lookup: write the files now.`,
      });
      if (lookups <= MAX_LOOKUPS) attempt -= 1;
      continue;
    }
    if (answer.plan) await emit({ type: "plan", attempt, text: answer.plan });
    if (answer.kind === "question") {
      await emit({ type: "question", text: answer.question });
      return finish({
        status: "question",
        question: answer.question,
        summary: null,
        failure: null,
        version: null,
        attempts: attempt,
      });
    }

    if (input.signal.aborted) return cancelled(attempt);
    const changes = describeFileChanges(candidate, answer.files);
    candidate = { ...candidate, ...answer.files };
    for (const change of changes.files) written.add(change.path);
    await emit({ type: "files", attempt, files: changes.files, unchanged: changes.unchanged });
    try {
      const { steps, onStagePassed } = stepReporter(emit, attempt);
      const deployed = await deploySource(env, input.runner, app, input.userId, candidate, {
        confirmDestructive: input.confirmDestructive ?? false,
        onStagePassed,
      });
      await emit({
        type: "check",
        attempt,
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
        summary: answer.summary,
      });
      await emitSetupNeeds(env, app, deployed.version, emit);
      return finish({
        status: "built",
        question: null,
        summary: answer.summary,
        failure: null,
        version: deployed.version,
        attempts: attempt,
      });
    } catch (error) {
      const failure = classifyDeployError(error);
      if (!failure) throw error;
      await emit({
        type: "check",
        attempt,
        ok: false,
        stage: failure.stage,
        message: failure.message,
        diagnostics: failure.diagnostics,
        confirm: failure.confirm,
      });
      lastFailure = plainFailure(
        failure.stage,
        failure.message,
        failure.diagnostics.map((d) => `${d.file} line ${d.line}: ${d.message}`),
      );
      if (!failure.repairable)
        return finish({
          status: "failed",
          question: null,
          summary: null,
          failure: lastFailure,
          version: null,
          attempts: attempt,
        });
      if (attempt < totalAttempts) {
        await emit({
          type: "repair",
          attempt: attempt + 1,
          of: totalAttempts,
          reason: `${failure.stage} failed; the diagnostics went back to the model`,
        });
        messages.push(repairMessage(failure.stage, failure.message, failure.diagnostics));
      }
    }
  }
  return finish({
    status: "failed",
    question: null,
    summary: null,
    failure: `After ${totalAttempts} attempts the app still does not build. ${lastFailure}`,
    version: null,
    attempts: totalAttempts,
  });
}

function plainFailure(stage: CheckStage, message: string, problems: string[]): string {
  const shown = problems.slice(0, 5).join("; ");
  return `${stageWords[stage]} failed: ${message}${shown ? ` (${shown})` : ""}`;
}

const stageWords: Record<CheckStage, string> = {
  files: "Reading the files",
  "type-check": "Checking the code",
  bundle: "Packaging the code",
  start: "Starting the app",
  "smoke-test": "Opening the app's home page",
  checks: "Running the app's own checks",
  migration: "Updating the preview database",
};
