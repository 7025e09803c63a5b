// Builds the RFC 2822 / MIME text of an email for Gmail's `messages.send`
// ({ raw: base64url }), with RFC 2047 encoded-words for non-ASCII headers.
// Runs in the isolate: TextEncoder and btoa only.
import { EmailInputError } from "./google-api-error";
import type { EmailMessage } from "./index";

const CRLF = "\r\n";
const encoder = new TextEncoder();
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// An encoded-word may be 75 characters: "=?UTF-8?B?" + "?=" leave 63, i.e. 45 bytes of base64 payload.
const WORD_BYTES = 45;

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The UTF-8 bytes of `text` in base64url without padding, as Gmail's `raw` field takes them. */
export function toBase64Url(text: string): string {
  return base64(encoder.encode(text)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * A header value as RFC 2047 encoded-words when it is not plain ASCII; words
 * break between characters (never inside a UTF-8 sequence) and are folded onto
 * continuation lines.
 */
export function encodeHeaderText(value: string): string {
  if (PRINTABLE_ASCII.test(value) && value.length <= 900) return value;
  const words: number[][] = [[]];
  for (const char of value) {
    const bytes = encoder.encode(char);
    if (words[words.length - 1].length + bytes.length > WORD_BYTES) words.push([]);
    words[words.length - 1].push(...bytes);
  }
  return words.map((word) => `=?UTF-8?B?${base64(Uint8Array.from(word))}?=`).join(`${CRLF} `);
}

function oneLine(value: string, header: string): string {
  if (/[\r\n]/.test(value)) throw new EmailInputError(`The ${header} contains a line break; it must be a single line.`);
  return value;
}

const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

/** "Name <addr>" or "addr", checked, with the name quoted or encoded as needed. */
function formatAddress(input: string, header: string): string {
  const match = /^\s*(.*?)\s*<([^<>]*)>\s*$/.exec(oneLine(input, header));
  const name = match ? match[1].replace(/^"(.*)"$/, "$1") : "";
  const address = (match ? match[2] : input).trim();
  if (!ADDRESS.test(address)) throw new EmailInputError(`"${input}" in ${header} is not an email address.`);
  if (name === "") return address;
  if (PRINTABLE_ASCII.test(name)) return `"${name.replace(/["\\]/g, "\\$&")}" <${address}>`;
  return `${encodeHeaderText(name)} <${address}>`;
}

function addressList(value: string | string[] | undefined, header: string): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.map((address) => formatAddress(address, header));
}

function textPart(subtype: "plain" | "html", content: string): string {
  const encoded = base64(encoder.encode(content)).replace(/.{76}(?=.)/g, `$&${CRLF}`);
  return [`Content-Type: text/${subtype}; charset="UTF-8"`, "Content-Transfer-Encoding: base64", "", encoded].join(
    CRLF,
  );
}

/** The full message text; `boundary` separates the text and HTML parts when both are given. */
export function buildMimeMessage(message: EmailMessage, boundary = `kiln-${crypto.randomUUID()}`): string {
  const to = addressList(message.to, "to");
  const cc = addressList(message.cc, "cc");
  const bcc = addressList(message.bcc, "bcc");
  if (to.length + cc.length + bcc.length === 0)
    throw new EmailInputError("The email has no recipient: give at least one address in to, cc or bcc.");
  if (message.text === undefined && message.html === undefined)
    throw new EmailInputError("The email has no body: give text, html or both.");

  const headers: string[] = [];
  if (message.from !== undefined) headers.push(`From: ${formatAddress(message.from, "from")}`);
  if (to.length > 0) headers.push(`To: ${to.join(`,${CRLF} `)}`);
  if (cc.length > 0) headers.push(`Cc: ${cc.join(`,${CRLF} `)}`);
  // Gmail reads Bcc from the message, delivers to it and removes the header.
  if (bcc.length > 0) headers.push(`Bcc: ${bcc.join(`,${CRLF} `)}`);
  if (message.replyTo !== undefined) headers.push(`Reply-To: ${formatAddress(message.replyTo, "replyTo")}`);
  headers.push(`Subject: ${encodeHeaderText(oneLine(message.subject, "subject"))}`, "MIME-Version: 1.0");

  if (message.text !== undefined && message.html !== undefined) {
    const body = [
      `--${boundary}`,
      textPart("plain", message.text),
      `--${boundary}`,
      textPart("html", message.html),
      `--${boundary}--`,
      "",
    ].join(CRLF);
    return [...headers, `Content-Type: multipart/alternative; boundary="${boundary}"`, "", body].join(CRLF);
  }
  const single =
    message.text !== undefined ? textPart("plain", message.text) : textPart("html", message.html as string);
  return [...headers, single].join(CRLF);
}
