// A loopback SMTP server for the tests: it speaks the protocol Kiln's client uses (EHLO, AUTH PLAIN, MAIL FROM,
// RCPT TO, DATA with dot-stuffing, QUIT), refuses wrong credentials with 535 as real servers do, and keeps what it
// receives. A small HTTP endpoint beside it lists the received messages for the tests inside workerd. Runs in Node.
import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, type Socket, createServer } from "node:net";

/** One message as the server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** Everything after DATA, dot-stuffing undone, CRLF line ends. */
  data: string;
  authenticatedAs: string | null;
}

/** The credentials the fake accepts. */
export const FAKE_SMTP_USER = "kiln";
export const FAKE_SMTP_PASSWORD = "smtp test password";

/** Starts both servers on free loopback ports: vars TEST_SMTP_URL (a KILN_SMTP_URL for it) and TEST_SMTP_INBOX. */
export async function startFakeSmtp(): Promise<{ vars: Record<string, string>; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const smtp = createServer((socket) => converse(socket, received));
  const inbox = createHttpServer((request, response) => {
    if (request.method === "DELETE") received.length = 0;
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify(received));
  });
  await Promise.all([
    new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve)),
    new Promise<void>((resolve) => inbox.listen(0, "127.0.0.1", resolve)),
  ]);
  const smtpPort = (smtp.address() as AddressInfo).port;
  const inboxPort = (inbox.address() as AddressInfo).port;
  const credentials = `${encodeURIComponent(FAKE_SMTP_USER)}:${encodeURIComponent(FAKE_SMTP_PASSWORD)}`;
  return {
    vars: {
      TEST_SMTP_URL: `smtp://${credentials}@127.0.0.1:${smtpPort}?from=sign-in@kiln.test`,
      TEST_SMTP_INBOX: `http://127.0.0.1:${inboxPort}/messages`,
    },
    close: async () => {
      await Promise.all([
        new Promise((resolve) => smtp.close(resolve)),
        new Promise((resolve) => inbox.close(resolve)),
      ]);
    },
  };
}

function converse(socket: Socket, received: ReceivedMail[]): void {
  let buffer = "";
  let inData = false;
  let mail: ReceivedMail = { from: "", to: [], data: "", authenticatedAs: null };
  let user: string | null = null;
  const reply = (text: string) => socket.write(`${text}\r\n`);
  reply("220 fake-smtp.kiln.test ESMTP ready");
  socket.on("data", (chunk) => {
    buffer += chunk.toString("utf8");
    for (;;) {
      if (inData) {
        const end = buffer.indexOf("\r\n.\r\n");
        if (end < 0) return;
        mail.data = buffer.slice(0, end).replace(/^\.\./gm, ".");
        buffer = buffer.slice(end + 5);
        inData = false;
        received.push({ ...mail, authenticatedAs: user });
        mail = { from: "", to: [], data: "", authenticatedAs: null };
        reply("250 2.0.0 queued");
        continue;
      }
      const end = buffer.indexOf("\r\n");
      if (end < 0) return;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const verb = line.split(" ", 1)[0]!.toUpperCase();
      if (verb === "EHLO") socket.write("250-fake-smtp.kiln.test\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n");
      else if (verb === "AUTH") {
        const [, , encoded = ""] = line.split(" ");
        const [, name, password] = Buffer.from(encoded, "base64").toString("utf8").split("\0");
        if (name === FAKE_SMTP_USER && password === FAKE_SMTP_PASSWORD) {
          user = name;
          reply("235 2.7.0 Authentication successful");
        } else reply("535 5.7.8 Authentication credentials invalid");
      } else if (verb === "MAIL") {
        if (user === null) reply("530 5.7.0 Authentication required");
        else {
          mail.from = /<([^>]*)>/.exec(line)?.[1] ?? "";
          reply("250 2.1.0 OK");
        }
      } else if (verb === "RCPT") {
        mail.to.push(/<([^>]*)>/.exec(line)?.[1] ?? "");
        reply("250 2.1.5 OK");
      } else if (verb === "DATA") {
        inData = true;
        reply("354 End data with <CR><LF>.<CR><LF>");
      } else if (verb === "QUIT") {
        reply("221 2.0.0 Bye");
        socket.end();
      } else reply("502 5.5.2 Command not recognized");
    }
  });
  socket.on("error", () => {});
}
