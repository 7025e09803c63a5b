// Reads back the RFC 2822 / MIME message Gmail receives in `raw`: unfolds
// headers, decodes RFC 2047 encoded-words, splits multipart bodies and undoes
// base64 / quoted-printable transfer encodings. Run by Node.

/** A decoded message. Header names are lower-case; values are unfolded and decoded. */
export interface ParsedMessage {
  headers: Record<string, string>;
  /** Raw (still encoded) header values, as received. */
  rawHeaders: Record<string, string>;
  text?: string;
  html?: string;
}

/** A mailbox from an address header. */
export interface Mailbox {
  name?: string;
  address: string;
}

/** RFC 2047: `=?charset?B|Q?text?=` words become text; blanks between adjacent words vanish. */
export function decodeEncodedWords(value: string): string {
  const joined = value.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, "$1");
  return joined.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, encoding: string, text: string) => {
    const bytes =
      encoding.toUpperCase() === "B"
        ? Buffer.from(text, "base64")
        : Buffer.from(
            text
              .replace(/_/g, " ")
              .replace(/=([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            "latin1",
          );
    return new TextDecoder(charset).decode(bytes);
  });
}

function splitHeadersAndBody(text: string): { headers: Record<string, string>; body: string } {
  const blank = text.search(/\r?\n\r?\n/);
  const head = blank < 0 ? text : text.slice(0, blank);
  const body = blank < 0 ? "" : text.slice(blank).replace(/^\r?\n\r?\n/, "");
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function parameter(headerValue: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="?([^";]+)"?`, "i").exec(headerValue);
  return match?.[1];
}

function decodeBody(body: string, headers: Record<string, string>): string {
  const encoding = (headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  const charset = parameter(headers["content-type"] ?? "", "charset") ?? "us-ascii";
  let bytes: Buffer;
  if (encoding === "base64") bytes = Buffer.from(body.replace(/\s+/g, ""), "base64");
  else if (encoding === "quoted-printable") {
    bytes = Buffer.from(
      body
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      "latin1",
    );
  } else bytes = Buffer.from(body, "latin1");
  return new TextDecoder(charset).decode(bytes);
}

function collect(text: string, into: ParsedMessage): void {
  const { headers, body } = splitHeadersAndBody(text);
  const type = (headers["content-type"] ?? "text/plain").toLowerCase();
  if (type.startsWith("multipart/")) {
    const boundary = parameter(headers["content-type"] ?? "", "boundary");
    if (!boundary) return;
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith("--")) break;
      collect(part.replace(/^\r?\n/, ""), into);
    }
  } else if (type.startsWith("text/html")) into.html = decodeBody(body, headers);
  else if (type.startsWith("text/plain")) into.text = decodeBody(body, headers);
}

/** Parses a whole message. */
export function parseMessage(text: string): ParsedMessage {
  const { headers: rawHeaders } = splitHeadersAndBody(text);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawHeaders)) headers[name] = decodeEncodedWords(value);
  const parsed: ParsedMessage = { headers, rawHeaders };
  collect(text, parsed);
  return parsed;
}

/** The mailboxes of an address header (raw value), names decoded; null when one is malformed. */
export function parseMailboxes(raw: string | undefined): Mailbox[] | null {
  if (!raw) return [];
  const items: string[] = [];
  let current = "";
  let quoted = false;
  for (const char of raw) {
    if (char === '"') quoted = !quoted;
    if (char === "," && !quoted) {
      items.push(current);
      current = "";
    } else current += char;
  }
  items.push(current);
  const mailboxes: Mailbox[] = [];
  for (const item of items.map((text) => text.trim()).filter(Boolean)) {
    const match = /^(.*?)\s*<([^<>]+)>$/.exec(item);
    const address = (match ? match[2] : item).trim();
    if (!/^[^\s@<>]+@[^\s@<>]+$/.test(address)) return null;
    const name = match
      ? decodeEncodedWords(match[1])
          .replace(/^"(.*)"$/, "$1")
          .replace(/\\(.)/g, "$1")
      : "";
    mailboxes.push(name ? { name, address } : { address });
  }
  return mailboxes;
}
