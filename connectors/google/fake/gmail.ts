// Gmail v1 `users.messages.send` as the fake serves it: decodes the base64url
// `raw` message, checks it the way Gmail does, and keeps what it "sent" for
// tests (`GET /__fake/gmail/sent`).
import { randomBytes } from "node:crypto";
import type { gmail_v1 } from "@googleapis/gmail";
import { GOOGLE_FAKE_USER } from "./credentials.ts";
import { apiError, requireScope } from "./errors.ts";
import { json, type FakeRequest, type FakeResponse } from "../../testing/fake-http.ts";
import { parseMailboxes, parseMessage, type Mailbox } from "./mime-parse.ts";
import type { TokenInfo } from "./oauth.ts";

const SEND_SCOPES = [
  "https://mail.google.com/",
  ...["gmail.send", "gmail.compose", "gmail.modify", "gmail.addons.current.action.compose"].map(
    (s) => `https://www.googleapis.com/auth/${s}`,
  ),
];

/** A message the fake "sent", decoded for tests. */
export interface SentMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  /** Gmail sends from the connected account whatever From said. */
  from: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  replyTo?: Mailbox;
  subject: string;
  text?: string;
  html?: string;
  /** Decoded header values by lower-case name (Bcc included, as received). */
  headers: Record<string, string>;
  /** Header values as received, before RFC 2047 decoding. */
  rawHeaders: Record<string, string>;
}

function hexId(): string {
  return randomBytes(8).toString("hex");
}

/** What the fake's account has sent. */
export class GmailOutbox {
  readonly sent: SentMessage[] = [];

  /** Answers a `/gmail/v1/…` request made with a valid token. */
  handle(request: FakeRequest, token: TokenInfo): FakeResponse {
    const match = /^\/gmail\/v1\/users\/([^/]+)\/messages\/send$/.exec(request.url.pathname);
    if (!match || request.method !== "POST") throw apiError(404, "Requested entity was not found.", "notFound");
    requireScope(token.scopes, SEND_SCOPES, "gmail.googleapis.com", "caribou.api.proto.MailboxService.SendMessage");
    const userId = decodeURIComponent(match[1]);
    if (userId !== "me" && userId !== GOOGLE_FAKE_USER.email)
      throw apiError(403, `Delegation denied for ${GOOGLE_FAKE_USER.email}`, "forbidden");

    const body = JSON.parse(request.body || "{}") as gmail_v1.Schema$Message;
    if (!body.raw)
      throw apiError(400, "'raw' RFC822 payload message string or uploading message via /upload/* URL required");
    if (!/^[A-Za-z0-9_-]*={0,2}$/.test(body.raw))
      throw apiError(
        400,
        `Invalid value at 'message.raw' (TYPE_BYTES), Base64 decoding failed for "${body.raw.slice(0, 40)}"`,
      );
    const message = parseMessage(Buffer.from(body.raw, "base64url").toString("latin1"));

    const to = parseMailboxes(message.rawHeaders.to);
    const cc = parseMailboxes(message.rawHeaders.cc);
    const bcc = parseMailboxes(message.rawHeaders.bcc);
    if (to === null) throw apiError(400, "Invalid To header");
    if (cc === null) throw apiError(400, "Invalid Cc header");
    if (bcc === null) throw apiError(400, "Invalid Bcc header");
    if (to.length + cc.length + bcc.length === 0) throw apiError(400, "Recipient address required");
    const [replyTo] = parseMailboxes(message.rawHeaders["reply-to"]) ?? [];
    const [fromHeader] = parseMailboxes(message.rawHeaders.from) ?? [];

    const id = hexId();
    const sent: SentMessage = {
      id,
      threadId: body.threadId ?? id,
      labelIds: ["SENT"],
      from: { name: fromHeader?.name ?? GOOGLE_FAKE_USER.name, address: GOOGLE_FAKE_USER.email },
      to,
      cc,
      bcc,
      ...(replyTo ? { replyTo } : {}),
      subject: message.headers.subject ?? "",
      text: message.text,
      html: message.html,
      headers: message.headers,
      rawHeaders: message.rawHeaders,
    };
    this.sent.push(sent);
    return json(200, { id: sent.id, threadId: sent.threadId, labelIds: sent.labelIds });
  }
}
