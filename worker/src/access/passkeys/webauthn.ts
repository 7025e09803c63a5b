// WebAuthn (Level 2) as a relying party checks it, for visitors' passkeys on an app host: a new credential's
// attestation object (attestation "none": the key is trusted on first use, as passkeys are) and each sign-in's
// signed assertion. Pure: Web Crypto and the bytes the browser sent, nothing stored here.
import { base64ToBytes, bytesToBase64Url } from "../../vault/base64";
import { type CborMap, decodeCbor } from "./cbor";

/** What the relying party expects of a ceremony: the challenge it issued, the page's origin, the RP ID (its host). */
export interface Expected {
  challenge: string;
  origin: string;
  rpId: string;
}

/** A credential's public key as stored: a JWK Web Crypto imports, and its COSE algorithm (ES256 -7, RS256 -257). */
export interface StoredKey {
  jwk: JsonWebKey;
  algorithm: -7 | -257;
}

/** A verified new credential. */
export interface NewCredential extends StoredKey {
  credentialId: string;
  signCount: number;
}

/** Why a ceremony was refused, in words for the logs (the visitor sees a plain "try again"). */
export class PasskeyError extends Error {}

/** The browser's answer to `navigator.credentials.create`, base64url-encoded. */
export interface RegistrationResponse {
  id: string;
  clientDataJSON: string;
  attestationObject: string;
}

/** The browser's answer to `navigator.credentials.get`, base64url-encoded. */
export interface AssertionResponse {
  id: string;
  clientDataJSON: string;
  authenticatorData: string;
  signature: string;
}

const USER_PRESENT = 0x01;
const ATTESTED_DATA = 0x40;

/** Checks a registration against what was asked; answers the credential to store. */
export async function verifyRegistration(response: RegistrationResponse, expected: Expected): Promise<NewCredential> {
  checkClientData(response.clientDataJSON, "webauthn.create", expected);
  const attestation = decodeCbor(bytes(response.attestationObject, "attestationObject")).value;
  const authData = attestation instanceof Map ? attestation.get("authData") : undefined;
  if (!(authData instanceof Uint8Array)) throw new PasskeyError("the attestation object has no authenticator data");
  const parsed = await parseAuthData(authData, expected.rpId);
  if (!(parsed.flags & ATTESTED_DATA)) throw new PasskeyError("the authenticator data holds no new credential");
  const view = new DataView(authData.buffer, authData.byteOffset, authData.byteLength);
  const idLength = view.getUint16(53);
  const credentialId = authData.slice(55, 55 + idLength);
  if (credentialId.length !== idLength) throw new PasskeyError("the credential id ended early");
  if (bytesToBase64Url(credentialId) !== response.id) throw new PasskeyError("the credential id does not match");
  const key = decodeCbor(authData, 55 + idLength).value;
  if (!(key instanceof Map)) throw new PasskeyError("the credential's public key is not a COSE key");
  return { credentialId: response.id, signCount: parsed.signCount, ...coseToJwk(key) };
}

/**
 * Checks a sign-in's assertion with the stored key; answers the new signature counter. A counter that did not move
 * forward (when either is non-zero) means a cloned authenticator: refused.
 */
export async function verifyAssertion(
  response: AssertionResponse,
  expected: Expected,
  stored: StoredKey & { signCount: number },
): Promise<{ signCount: number }> {
  const clientData = checkClientData(response.clientDataJSON, "webauthn.get", expected);
  const authData = bytes(response.authenticatorData, "authenticatorData");
  const parsed = await parseAuthData(authData, expected.rpId);
  const signed = concat(authData, new Uint8Array(await crypto.subtle.digest("SHA-256", clientData)));
  const signature = bytes(response.signature, "signature");
  const ok =
    stored.algorithm === -7
      ? await crypto.subtle.verify(
          { name: "ECDSA", hash: "SHA-256" },
          await crypto.subtle.importKey("jwk", stored.jwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]),
          derToRaw(signature),
          signed,
        )
      : await crypto.subtle.verify(
          { name: "RSASSA-PKCS1-v1_5" },
          await crypto.subtle.importKey("jwk", stored.jwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
            "verify",
          ]),
          signature,
          signed,
        );
  if (!ok) throw new PasskeyError("the signature does not verify");
  if ((parsed.signCount > 0 || stored.signCount > 0) && parsed.signCount <= stored.signCount)
    throw new PasskeyError("the signature counter went backwards (a cloned authenticator?)");
  return { signCount: parsed.signCount };
}

function bytes(text: string, what: string): Uint8Array<ArrayBuffer> {
  try {
    return base64ToBytes(text);
  } catch {
    throw new PasskeyError(`${what} is not base64url`);
  }
}

// The client's view of the ceremony: its type, our challenge, and the page it ran on (never a frame of another site).
function checkClientData(encoded: string, type: string, expected: Expected): Uint8Array<ArrayBuffer> {
  const raw = bytes(encoded, "clientDataJSON");
  let data: { type?: unknown; challenge?: unknown; origin?: unknown; crossOrigin?: unknown };
  try {
    data = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new PasskeyError("clientDataJSON is not JSON");
  }
  if (data.type !== type) throw new PasskeyError(`the ceremony is ${String(data.type)}, not ${type}`);
  if (data.challenge !== expected.challenge) throw new PasskeyError("the challenge does not match");
  if (data.origin !== expected.origin) throw new PasskeyError(`the origin ${String(data.origin)} is not this app's`);
  if (data.crossOrigin === true) throw new PasskeyError("the ceremony ran in a frame of another site");
  return raw;
}

async function parseAuthData(authData: Uint8Array, rpId: string): Promise<{ flags: number; signCount: number }> {
  if (authData.length < 37) throw new PasskeyError("the authenticator data is too short");
  const rpIdHash = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(rpId)));
  if (bytesToBase64Url(authData.subarray(0, 32)) !== bytesToBase64Url(rpIdHash))
    throw new PasskeyError("the credential is for another site");
  const flags = authData[32]!;
  if (!(flags & USER_PRESENT)) throw new PasskeyError("no user was present");
  const signCount = new DataView(authData.buffer, authData.byteOffset + 33, 4).getUint32(0);
  return { flags, signCount };
}

// COSE_Key (RFC 9052/9053) to JWK: EC2 P-256 for ES256, RSA for RS256; every other key type is refused.
function coseToJwk(key: CborMap): StoredKey {
  const kty = key.get(1);
  const alg = key.get(3);
  const b64 = (label: number) => {
    const value = key.get(label);
    if (!(value instanceof Uint8Array)) throw new PasskeyError("the COSE key is missing a part");
    return bytesToBase64Url(value);
  };
  if (kty === 2 && alg === -7 && key.get(-1) === 1)
    return { algorithm: -7, jwk: { kty: "EC", crv: "P-256", x: b64(-2), y: b64(-3), ext: true } };
  if (kty === 3 && alg === -257) return { algorithm: -257, jwk: { kty: "RSA", n: b64(-1), e: b64(-2), ext: true } };
  throw new PasskeyError(`key type ${String(kty)} with algorithm ${String(alg)} is not supported (ES256 or RS256)`);
}

// Authenticators sign ES256 as DER (SEQUENCE of two INTEGERs); Web Crypto wants r and s as 32 bytes each.
function derToRaw(der: Uint8Array): Uint8Array<ArrayBuffer> {
  if (der[0] !== 0x30) throw new PasskeyError("the signature is not DER");
  let at = der[1]! & 0x80 ? 2 + (der[1]! & 0x7f) : 2;
  const part = (): Uint8Array => {
    if (der[at] !== 0x02) throw new PasskeyError("the signature is not DER");
    const length = der[at + 1]!;
    let value = der.subarray(at + 2, at + 2 + length);
    at += 2 + length;
    while (value.length > 32 && value[0] === 0) value = value.subarray(1);
    if (value.length > 32) throw new PasskeyError("the signature is not P-256");
    const padded = new Uint8Array(32);
    padded.set(value, 32 - value.length);
    return padded;
  };
  return concat(part(), part());
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
