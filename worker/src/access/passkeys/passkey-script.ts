// The only script on Kiln's pages of an app host (served as /_kiln/passkey.js, same origin, so the pages' CSP can
// stay `script-src 'self'`): it runs the browser's half of the passkey ceremonies and posts the answers back.

/** The script's text. */
export const PASSKEY_SCRIPT = `"use strict";
(function () {
  function encode(buffer) {
    var bytes = new Uint8Array(buffer), text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  }
  function decode(text) {
    var plain = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(plain.length);
    for (var i = 0; i < plain.length; i++) bytes[i] = plain.charCodeAt(i);
    return bytes;
  }
  function say(text) {
    var status = document.getElementById("passkey-status");
    if (status) status.textContent = text;
  }
  async function post(path, body) {
    var response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    var answer = await response.json().catch(function () { return {}; });
    if (!response.ok) throw new Error(answer.error || "Something went wrong. Try again.");
    return answer;
  }
  function failed(error) {
    say(error && error.name === "NotAllowedError" ? "No passkey was used. Try again, or use your email." : error.message);
  }
  var supported = typeof window.PublicKeyCredential === "function";
  var signIn = document.getElementById("passkey-sign-in");
  if (signIn) {
    signIn.hidden = !supported;
    signIn.addEventListener("click", async function () {
      try {
        var options = await post("/_kiln/passkeys/sign-in/options", {});
        var publicKey = Object.assign({}, options.publicKey, { challenge: decode(options.publicKey.challenge) });
        var credential = await navigator.credentials.get({ publicKey: publicKey });
        var done = await post("/_kiln/passkeys/sign-in", {
          challengeId: options.challengeId,
          next: signIn.getAttribute("data-next") || "/",
          credential: {
            id: credential.id,
            clientDataJSON: encode(credential.response.clientDataJSON),
            authenticatorData: encode(credential.response.authenticatorData),
            signature: encode(credential.response.signature)
          }
        });
        location.assign(done.location);
      } catch (error) { failed(error); }
    });
  }
  var add = document.getElementById("passkey-add");
  if (add) {
    add.hidden = !supported;
    add.addEventListener("click", async function () {
      try {
        var options = await post("/_kiln/passkeys/register/options", {});
        var publicKey = Object.assign({}, options.publicKey, {
          challenge: decode(options.publicKey.challenge),
          user: Object.assign({}, options.publicKey.user, { id: decode(options.publicKey.user.id) }),
          excludeCredentials: options.publicKey.excludeCredentials.map(function (c) { return { type: c.type, id: decode(c.id) }; })
        });
        var credential = await navigator.credentials.create({ publicKey: publicKey });
        await post("/_kiln/passkeys/register", {
          challengeId: options.challengeId,
          credential: {
            id: credential.id,
            clientDataJSON: encode(credential.response.clientDataJSON),
            attestationObject: encode(credential.response.attestationObject)
          }
        });
        location.reload();
      } catch (error) { failed(error); }
    });
  }
})();
`;
