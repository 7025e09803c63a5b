// Gmail v1 sending from inside the app isolate (https://gmail.googleapis.com/gmail/v1).
import type { gmail_v1 } from "@googleapis/gmail";
import { callGoogle, type Fetch } from "./google-request";
import type * as Api from "./index";
import { buildMimeMessage, toBase64Url } from "./mime-message";

const SEND = "https://gmail.googleapis.com/gmail/v1/users/me/messages/send";

/** Gmail operations over `fetchFn`. */
export function gmailClient(fetchFn: Fetch): Api.GoogleGmail {
  return {
    async send(message) {
      const body: gmail_v1.Schema$Message = { raw: toBase64Url(buildMimeMessage(message)) };
      const sent = await callGoogle<gmail_v1.Schema$Message>(fetchFn, "Gmail", "POST", SEND, body);
      return { id: sent.id ?? "", threadId: sent.threadId ?? "" };
    },
  };
}
