import type { ModelMessage } from "ai";
import type { Diagnostic } from "../core/errors";
import type { ChatTurn } from "../core/api-shapes/chat";

// Earlier turns give a follow-up its meaning ("make it blue"); only the last few, briefly.
const historyTurns = 6;

/** Earlier turns, as short user/assistant pairs: what was asked and what Kiln answered. */
export function historyMessages(turns: readonly ChatTurn[]): ModelMessage[] {
  const messages: ModelMessage[] = [];
  for (const turn of turns.filter((t) => t.status !== "running").slice(-historyTurns)) {
    const answer = turn.question
      ? `<plan>${turn.plan ?? ""}</plan>\n<question>${turn.question}</question>`
      : turn.status === "built"
        ? `<summary>${turn.summary ?? "Updated the app."}</summary>`
        : `(That change could not be built: ${turn.failure ?? "unknown problem"}. The app was left as it was.)`;
    messages.push({ role: "user", content: turn.message }, { role: "assistant", content: answer });
  }
  return messages;
}

/** The person's request with the app's current files (whole, so the model edits what is really there). */
export function requestMessage(request: string, currentFiles: Readonly<Record<string, string>> | null): ModelMessage {
  if (!currentFiles || Object.keys(currentFiles).length === 0)
    return { role: "user", content: `New app. Request:\n${request}` };
  const files = Object.entries(currentFiles)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, text]) => `<file path="${path}">\n${text.endsWith("\n") ? text : `${text}\n`}</file>`)
    .join("\n");
  return {
    role: "user",
    content: `The app's current files:\n${files}\n\nChange request:\n${request}\n\nWrite back only the files you change.`,
  };
}

/** What goes back to the model after a failed check: the diagnostics, file and line. */
export function repairMessage(stage: string, message: string, diagnostics: readonly Diagnostic[]): ModelMessage {
  const lines = diagnostics.slice(0, 30).map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`);
  return {
    role: "user",
    content: `Kiln could not deploy that (${stage} failed): ${message}\n${lines.join("\n")}\n\nFix it. Answer in the same format with the whole text of each file you change.`,
  };
}

/** The model's previous answer did not follow the format. */
export function formatMessage(problem: string): ModelMessage {
  return { role: "user", content: problem };
}
