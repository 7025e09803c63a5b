import { connect } from "cloudflare:sockets";

/** Where and how to deliver: parsed from `KILN_SMTP_URL` (`smtp://user:pass@host:587`, `smtps://…:465`). */
export interface SmtpConfig {
  host: string;
  port: number;
  /** "starttls": plain, then upgraded when the server offers it (smtp://); "on": TLS from the start (smtps://). */
  tls: "starttls" | "on";
  username: string | null;
  password: string | null;
  /** The sender address (`?from=`), else `kiln@<host>`. */
  from: string;
}

/** Mail the SMTP server refused or could not take; the message says what, never the credentials. */
export class SmtpError extends Error {
  override readonly name = "SmtpError";
}

/** A message in plain text, one recipient. */
export interface SmtpMessage {
  to: string;
  subject: string;
  text: string;
}

/** Reads `KILN_SMTP_URL`; throws SmtpError (without the URL, which holds a password) when it is not usable. */
export function parseSmtpUrl(text: string): SmtpConfig {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SmtpError("KILN_SMTP_URL is not a URL: write it as smtp://user:password@host:587.");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:")
    throw new SmtpError("KILN_SMTP_URL must start with smtp:// (STARTTLS) or smtps:// (TLS).");
  const tls = url.protocol === "smtps:" ? "on" : "starttls";
  const host = url.hostname;
  if (!host) throw new SmtpError("KILN_SMTP_URL names no mail server: write it as smtp://user:password@host:587.");
  return {
    host,
    port: Number(url.port || (tls === "on" ? 465 : 587)),
    tls,
    username: url.username ? decodeURIComponent(url.username) : null,
    password: url.password ? decodeURIComponent(url.password) : null,
    from: url.searchParams.get("from") ?? `kiln@${host}`,
  };
}

/** Sends one message over SMTP: EHLO, STARTTLS when offered, AUTH PLAIN when credentials are set, then DATA. */
export async function sendSmtp(config: SmtpConfig, message: SmtpMessage, now = new Date()): Promise<void> {
  for (const value of [message.to, message.subject, config.from])
    if (/[\r\n]/.test(value)) throw new SmtpError("A mail header may not contain a line break.");
  const socket = connect(
    { hostname: config.host, port: config.port },
    { secureTransport: config.tls === "on" ? "on" : "starttls", allowHalfOpen: false },
  );
  let current = socket;
  let session = new SmtpSession(current);
  try {
    await session.expect([220]);
    let features = await session.command(`EHLO kiln`, [250]);
    if (config.tls === "starttls" && /\bSTARTTLS\b/i.test(features)) {
      await session.command("STARTTLS", [220]);
      // The plain streams must be let go before the socket can be upgraded.
      session.release();
      current = current.startTls();
      session = new SmtpSession(current);
      features = await session.command(`EHLO kiln`, [250]);
    }
    if (config.username !== null) {
      if (!/\bAUTH\b[^\n]*\bPLAIN\b/i.test(features))
        throw new SmtpError("The mail server does not offer AUTH PLAIN; Kiln cannot sign in to it.");
      const plain = btoa(`\0${config.username}\0${config.password ?? ""}`);
      await session.command(`AUTH PLAIN ${plain}`, [235], "AUTH PLAIN <credentials>");
    }
    await session.command(`MAIL FROM:<${config.from}>`, [250]);
    await session.command(`RCPT TO:<${message.to}>`, [250, 251]);
    await session.command("DATA", [354]);
    await session.command(`${mimeText(config.from, message, now)}\r\n.`, [250], "<message>");
    await session.command("QUIT", [221]).catch(() => "");
  } finally {
    session.release();
    await current.close().catch(() => {});
  }
}

/** The message as it goes after DATA: headers, a blank line, the body with every line-leading dot doubled. */
export function mimeText(from: string, message: SmtpMessage, now: Date): string {
  const body = message.text.replace(/\r?\n/g, "\r\n").replace(/^\./gm, "..");
  return [
    `From: ${from}`,
    `To: ${message.to}`,
    `Subject: ${encodeHeader(message.subject)}`,
    `Date: ${now.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <${crypto.randomUUID()}@kiln>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    body,
  ].join("\r\n");
}

// RFC 2047 for a subject that is not plain ASCII (an app's name may be in any language).
function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const bytes = new TextEncoder().encode(value);
  return `=?UTF-8?B?${btoa(String.fromCharCode(...bytes))}?=`;
}

/** One SMTP conversation: replies read line by line (a multi-line reply ends at "NNN "). */
class SmtpSession {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = "";

  constructor(socket: Socket) {
    this.#writer = socket.writable.getWriter();
    this.#reader = socket.readable.getReader();
  }

  /** Sends a line and reads the reply; `shown` replaces the line in errors (never a password or the message). */
  async command(line: string, codes: number[], shown = line): Promise<string> {
    await this.#writer.write(new TextEncoder().encode(`${line}\r\n`));
    return this.expect(codes, shown);
  }

  /** Reads one reply; throws SmtpError unless its code is one of `codes`. */
  async expect(codes: number[], after = "connecting"): Promise<string> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.#line();
      lines.push(line);
      if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) break;
    }
    const code = Number(lines.at(-1)!.slice(0, 3));
    if (!codes.includes(code))
      throw new SmtpError(`The mail server answered "${lines.at(-1)!.slice(0, 200)}" to ${after}.`);
    return lines.join("\n");
  }

  /** Lets go of the socket's streams (before an upgrade to TLS, or closing). */
  release(): void {
    this.#reader.releaseLock();
    this.#writer.releaseLock();
  }

  async #line(): Promise<string> {
    for (;;) {
      const end = this.#buffer.indexOf("\r\n");
      if (end >= 0) {
        const line = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        return line;
      }
      const { value, done } = await this.#reader.read();
      if (done) throw new SmtpError("The mail server closed the connection.");
      this.#buffer += this.#decoder.decode(value, { stream: true });
      if (this.#buffer.length > 64 * 1024) throw new SmtpError("The mail server sent a reply line that never ended.");
    }
  }
}
