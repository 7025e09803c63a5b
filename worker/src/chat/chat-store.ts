import { nowIso, toHex } from "../core/ids";
import type { TurnStatus } from "../core/api-shapes/chat";
import type { ChatTurn } from "../core/api-shapes/chat";

/** What a finished turn records. */
export type TurnOutcome = Pick<
  ChatTurn,
  "plan" | "question" | "summary" | "failure" | "version" | "attempts" | "usage" | "files"
> & { status: TurnStatus };

/** A new turn's id. */
export function newTurnId(): string {
  return `turn_${toHex(crypto.getRandomValues(new Uint8Array(10)))}`;
}

/** Records a turn as soon as it starts, so an interrupted one still shows in the history. */
export async function startTurn(
  db: D1Database,
  turn: { id: string; appId: string; userId: string; mode: ChatTurn["mode"]; model: string | null; message: string },
): Promise<string> {
  const { id } = turn;
  await db
    .prepare(
      "INSERT INTO chat_turns (id, app_id, user_id, mode, model, message, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'running', ?)",
    )
    .bind(id, turn.appId, turn.userId, turn.mode, turn.model, turn.message, nowIso())
    .run();
  return id;
}

/** Stores how a turn ended. */
export async function finishTurn(db: D1Database, turnId: string, outcome: TurnOutcome): Promise<void> {
  await db
    .prepare(
      "UPDATE chat_turns SET status = ?, plan = ?, question = ?, summary = ?, failure = ?, version = ?, attempts = ?, input_tokens = ?, output_tokens = ?, files_json = ?, finished_at = ? WHERE id = ?",
    )
    .bind(
      outcome.status,
      outcome.plan,
      outcome.question,
      outcome.summary,
      outcome.failure,
      outcome.version,
      outcome.attempts,
      outcome.usage.input,
      outcome.usage.output,
      JSON.stringify(outcome.files),
      nowIso(),
      turnId,
    )
    .run();
}

interface TurnRow {
  id: string;
  mode: ChatTurn["mode"];
  model: string | null;
  message: string;
  status: ChatTurn["status"];
  plan: string | null;
  question: string | null;
  summary: string | null;
  failure: string | null;
  version: string | null;
  attempts: number;
  input_tokens: number;
  output_tokens: number;
  files_json: string;
  created_at: string;
  finished_at: string | null;
}

/** An app's conversation, oldest first (at most the newest `limit` turns). */
export async function listTurns(db: D1Database, appId: string, limit = 200): Promise<ChatTurn[]> {
  const { results } = await db
    .prepare(
      "SELECT * FROM (SELECT * FROM chat_turns WHERE app_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?) ORDER BY created_at ASC",
    )
    .bind(appId, limit)
    .all<TurnRow>();
  return results.map((row) => ({
    id: row.id,
    mode: row.mode,
    model: row.model,
    message: row.message,
    status: row.status,
    plan: row.plan,
    question: row.question,
    summary: row.summary,
    failure: row.failure,
    version: row.version,
    attempts: row.attempts,
    usage: { input: row.input_tokens, output: row.output_tokens },
    files: JSON.parse(row.files_json) as string[],
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  }));
}
