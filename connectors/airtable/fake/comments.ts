// Record comments in the Airtable fake: list (newest first, paged), create
// (replies by `parentCommentId`), edit and delete. Every comment's author is
// the fake's one user; an `@[usr…]` mention of it is listed in `mentioned`.
import { AIRTABLE_FAKE_USER } from "./credentials.ts";
import { apiError, NOT_FOUND, newId } from "./errors.ts";
import { INVALID_REQUEST } from "./schema.ts";
import type { StoredComment, Table } from "./state.ts";

function commentsOf(table: Table, recordId: string): StoredComment[] {
  if (!table.records.has(recordId)) throw NOT_FOUND();
  let comments = table.comments.get(recordId);
  if (!comments) {
    comments = [];
    table.comments.set(recordId, comments);
  }
  return comments;
}

function commentJson(comment: StoredComment): unknown {
  const mentioned = comment.text.includes(`@[${AIRTABLE_FAKE_USER.id}]`)
    ? {
        [AIRTABLE_FAKE_USER.id]: {
          type: "user",
          id: AIRTABLE_FAKE_USER.id,
          displayName: AIRTABLE_FAKE_USER.name,
          email: AIRTABLE_FAKE_USER.email,
        },
      }
    : undefined;
  return {
    id: comment.id,
    author: { ...AIRTABLE_FAKE_USER },
    text: comment.text,
    createdTime: comment.createdTime,
    lastUpdatedTime: comment.lastUpdatedTime,
    ...(comment.parentCommentId ? { parentCommentId: comment.parentCommentId } : {}),
    ...(mentioned ? { mentioned } : {}),
  };
}

/** `GET …/{recordId}/comments`: newest first, `pageSize` (≤100) at a time; `offset` null on the last page. */
export function listComments(table: Table, recordId: string, pageSize: number, offset?: string): unknown {
  const newestFirst = [...commentsOf(table, recordId)].reverse();
  const start = offset === undefined ? 0 : newestFirst.findIndex((comment) => comment.id === offset);
  if (start < 0) throw apiError(422, "INVALID_OFFSET_VALUE", "The offset is no longer valid.");
  const page = newestFirst.slice(start, start + pageSize);
  return { comments: page.map((c) => commentJson(c)), offset: newestFirst[start + pageSize]?.id ?? null };
}

/** `POST …/{recordId}/comments` `{ text, parentCommentId? }`. */
export function createComment(table: Table, recordId: string, body: Record<string, unknown>): unknown {
  const comments = commentsOf(table, recordId);
  if (typeof body.text !== "string" || body.text.trim() === "") throw INVALID_REQUEST();
  const parent = body.parentCommentId;
  if (parent !== undefined && !comments.some((comment) => comment.id === parent)) throw INVALID_REQUEST();
  const comment: StoredComment = {
    id: newId("com"),
    text: body.text,
    createdTime: new Date().toISOString(),
    lastUpdatedTime: null,
    ...(typeof parent === "string" ? { parentCommentId: parent } : {}),
  };
  comments.push(comment);
  return commentJson(comment);
}

/** `PATCH …/comments/{commentId}` `{ text }`. */
export function updateComment(
  table: Table,
  recordId: string,
  commentId: string,
  body: Record<string, unknown>,
): unknown {
  const comment = commentsOf(table, recordId).find((candidate) => candidate.id === commentId);
  if (!comment) throw NOT_FOUND();
  if (typeof body.text !== "string" || body.text.trim() === "") throw INVALID_REQUEST();
  comment.text = body.text;
  comment.lastUpdatedTime = new Date().toISOString();
  return commentJson(comment);
}

/** `DELETE …/comments/{commentId}`. */
export function deleteComment(table: Table, recordId: string, commentId: string): { id: string; deleted: true } {
  const comments = commentsOf(table, recordId);
  const index = comments.findIndex((comment) => comment.id === commentId);
  if (index < 0) throw NOT_FOUND();
  comments.splice(index, 1);
  return { id: commentId, deleted: true };
}
