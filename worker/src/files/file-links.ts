import type { Environment } from "../core/env";
import { FileError } from "./file-error";
import { checkFileName } from "./file-names";

/** Where an app host serves its files to visitors; answered by Kiln before app code (serving/serve-app.ts). */
export const FILES_PATH = "/_kiln/files/";

const encoder = new TextEncoder();
// An upload id as files-gateway.ts makes them (a UUID), the `@<upload id>` of the object key.
const UPLOAD_ID = /^[A-Za-z0-9-]{1,64}$/;

// Base64 (standard or URL-safe) both ways, here rather than the vault's: the runner's bundle holds no vault code.
function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.trim().replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/**
 * The bytes of the key that signs file links: HKDF of the vault's master key (KILN_MASTER_KEY) for this one
 * purpose, so no further secret has to be stored anywhere, and the key a runner holds opens nothing in the vault.
 */
export async function deriveLinkKeyBytes(masterKeyText: string | undefined): Promise<ArrayBuffer> {
  if (!masterKeyText)
    throw new FileError(
      "unavailable",
      "File links are unavailable: Kiln's operator has not set KILN_MASTER_KEY (docs/vault.md).",
    );
  const material = await crypto.subtle.importKey("raw", fromBase64(masterKeyText), "HKDF", false, ["deriveBits"]);
  return crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode("kiln"), info: encoder.encode("kiln app file links v1") },
    material,
    256,
  );
}

/** The HMAC key for link signatures, from the derived bytes (the runner fetches those once from the control plane). */
export function importLinkKey(bytes: ArrayBuffer): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

// What a signature covers: the app, its environment, the file, the upload of it and the deadline, so a link works
// for nothing else, not even a later upload of the same name.
// A build's trial signs for "trial", which no host verifies: its links (to scratch files) open nothing.
function signedText(appId: string, environment: Environment | "trial", file: LinkedFile, expires: number): Uint8Array {
  return encoder.encode(`kiln-file-link/v2\n${appId}\n${environment}\n${file.name}\n${file.upload}\n${expires}`);
}

/** What a link opens: one upload of one file (the `@<upload id>` of its object key), never what replaces it. */
export interface LinkedFile {
  name: string;
  upload: string;
}

/** The path of a link to one upload, on the app's own host: `/_kiln/files/<name>?upload=<id>&exp=<s>&sig=<HMAC>`. */
export async function signFileLink(
  key: CryptoKey,
  target: { appId: string; environment: Environment | "trial" },
  file: LinkedFile,
  expires: number,
): Promise<string> {
  const path = checkFileName(file.name).split("/").map(encodeURIComponent).join("/");
  if (!UPLOAD_ID.test(file.upload)) throw new FileError("unavailable", "This file's upload is misrecorded.");
  const mac = await crypto.subtle.sign("HMAC", key, signedText(target.appId, target.environment, file, expires));
  return `${FILES_PATH}${path}?upload=${file.upload}&exp=${expires}&sig=${toBase64Url(new Uint8Array(mac))}`;
}

/**
 * The file and upload a visitor's link names, once its signature (for this app and environment) and deadline hold;
 * otherwise a FileError (`invalid_link`) saying whether it expired or is not a link Kiln made. Whether that upload is
 * still the file is for the caller to check against the index (serving/serve-file.ts).
 */
export async function verifyFileLink(
  key: CryptoKey,
  target: { appId: string; environment: Environment },
  url: URL,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<LinkedFile> {
  const forged = new FileError("invalid_link", "This link is not valid. Ask for a new one.");
  let name: string;
  try {
    name = checkFileName(url.pathname.slice(FILES_PATH.length).split("/").map(decodeURIComponent).join("/"));
  } catch {
    throw forged;
  }
  const upload = url.searchParams.get("upload") ?? "";
  const expires = Number(url.searchParams.get("exp"));
  const sig = url.searchParams.get("sig") ?? "";
  if (!UPLOAD_ID.test(upload) || !Number.isSafeInteger(expires) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) throw forged;
  const mac = fromBase64(`${sig}=`);
  const file = { name, upload };
  const valid = await crypto.subtle.verify(
    "HMAC",
    key,
    mac,
    signedText(target.appId, target.environment, file, expires),
  );
  if (!valid) throw forged;
  if (expires <= nowSeconds) throw new FileError("invalid_link", "This link has expired. Ask for a new one.");
  return file;
}
