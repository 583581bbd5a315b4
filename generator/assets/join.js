/*
 * The join page's password gate, in the reader's browser.
 *
 * The build encrypted the recruitment form (endpoint included) with AES-256-GCM
 * under a key derived from the recruitment password with PBKDF2-HMAC-SHA256
 * (generator/join.py). Here WebCrypto derives the same key from what the reader
 * types and decrypts; a wrong password fails GCM's authentication and reveals
 * nothing. Loaded with <script src>, never inline, so a strict
 * Content-Security-Policy holds.
 *
 * When the form carries the caucus's public key (data-public-key), its fields have
 * no names and are never posted: on sending, their values are sealed together as
 * JSON with HPKE (hpke.js, published in the same file just before this one) and the
 * form posts that one sealed field and the honeypot, or, for a mailto: form, the
 * reader's mail program opens with it. generator/applications.py opens it.
 */
(function () {
  "use strict";

  const WRONG_PASSWORD = "That password does not open the form. Please ask the member who recruited you " +
    "for the recruitment password.";
  const NO_WEBCRYPTO = "This browser cannot open the form here. Try another browser, or write to the address above.";

  const CANNOT_SEAL = "This browser cannot seal the application, so nothing was sent. Please try a recent " +
    "browser, or write to the address above.";
  const SEALED_PREFIX = "caucus-application-v1.";  // applications.PREFIX + VERSION: names the suite and INFO
  const SEALED_INFO = new TextEncoder().encode("caucus application v1");  // applications.INFO
  const PUBLIC_KEY_PREFIX = "x25519:";  // applications.KEY_PREFIX

  function fromBase64(text) {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  }

  function fromBase64Url(text) {
    return fromBase64(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - text.length % 4) % 4));
  }

  function toBase64Url(bytes) {
    let binary = "";
    bytes.forEach((byte) => { binary += String.fromCharCode(byte); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  /* Every field's value as JSON, sealed to the caucus's key: "caucus-application-v1." + base64url(enc || ct). */
  async function sealApplication(form) {
    const fields = {};
    form.querySelectorAll("[data-field]").forEach((el) => { fields[el.dataset.field] = el.value; });
    const recipient = fromBase64Url(form.dataset.publicKey.slice(PUBLIC_KEY_PREFIX.length));
    const {enc, ciphertext} = await CaucusHPKE.seal(recipient, SEALED_INFO, new Uint8Array(0),
      new TextEncoder().encode(JSON.stringify(fields)));
    return SEALED_PREFIX + toBase64Url(CaucusHPKE.concat(enc, ciphertext));
  }

  /* Posts the sealed application (the form's only named fields are it and the honeypot), or opens the
   * reader's mail program with it, addressed to the form's mailto: address. */
  async function sendSealed(form, errors) {
    let sealed;
    try {
      sealed = await sealApplication(form);
    } catch (noX25519) {  // an older browser without WebCrypto's X25519: send nothing rather than clear text
      errors.textContent = CANNOT_SEAL;
      return;
    }
    const action = form.getAttribute("action");
    if (action.startsWith("mailto:")) {
      const url = action + (action.includes("?") ? "&" : "?") + "subject=" +
        encodeURIComponent("Application to join") + "&body=" + encodeURIComponent(sealed);
      form.dataset.mailto = url;  // what was opened, for the page's own tests (no browser reports mailto:)
      window.location.href = url;
      return;
    }
    form.elements.namedItem("application").value = sealed;
    form.submit();  // submit() fires no submit event, so this handler does not run again
  }

  /* The mirror of join.unseal: PBKDF2-HMAC-SHA256 -> AES-256-GCM decrypt; rejects on a wrong password. */
  async function unseal(gate, password) {
    const data = gate.dataset;
    const material = await crypto.subtle.importKey(
      "raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveKey"]);
    const key = await crypto.subtle.deriveKey(
      {name: "PBKDF2", hash: "SHA-256", salt: fromBase64(data.salt), iterations: Number(data.iterations)},
      material, {name: "AES-GCM", length: 256}, false, ["decrypt"]);
    const plain = await crypto.subtle.decrypt(
      {name: "AES-GCM", iv: fromBase64(data.nonce)}, key, fromBase64(data.ciphertext));
    return new TextDecoder().decode(plain);
  }

  function labelOf(control) {
    return control.labels.length ? control.labels[0].textContent.trim() : control.name;
  }

  /* Each bad field says what is wrong right below it (and is described by that text); a summary in an
     aria-live region names them all and the first bad field gets focus, so every reader hears them. */
  function checkBeforeSending(form, event) {
    const sealing = Boolean(form.dataset.publicKey);
    if (sealing) {
      event.preventDefault();  // first: whatever happens next, the browser itself posts nothing
    }
    const errors = form.querySelector(".caucus-join__errors");
    const controls = Array.from(form.elements).filter((el) => el.willValidate);
    const invalid = controls.filter((el) => !el.checkValidity());
    controls.forEach((el) => {
      const bad = invalid.includes(el);
      bad ? el.setAttribute("aria-invalid", "true") : el.removeAttribute("aria-invalid");
      const message = document.getElementById(el.id + "-error");
      if (message) message.textContent = bad ? el.validationMessage : "";
    });
    if (invalid.length) {
      event.preventDefault();
      errors.textContent = "Please check: " + invalid.map(labelOf).join("; ") + ".";
      invalid[0].focus();
    } else if (form.querySelector(".caucus-join__trap input").value) {
      event.preventDefault();  // only a bot fills the hidden field
    } else {
      errors.textContent = "";
      if (sealing) {
        sendSealed(form, errors);
      }
    }
  }

  /* Off screen for people, still there for bots; set here so it holds whatever the site's CSS and CSP. */
  function hideTrap(form) {
    Object.assign(form.querySelector(".caucus-join__trap").style,
      {position: "absolute", left: "-10000px", width: "1px", height: "1px", overflow: "hidden"});
  }

  function reveal(gate, html) {
    const place = gate.querySelector(".caucus-join__form");
    place.innerHTML = html;
    gate.querySelector(".caucus-join__unlock").remove();
    const form = place.querySelector("form");
    hideTrap(form);
    form.addEventListener("submit", (event) => checkBeforeSending(form, event));
    form.querySelector("input, textarea").focus();
  }

  function start(gate) {
    const unlock = gate.querySelector(".caucus-join__unlock");
    const status = gate.querySelector(".caucus-join__status");
    const password = unlock.elements.namedItem("password");
    if (!(window.crypto && crypto.subtle)) {  // WebCrypto exists only on https:// and localhost
      status.textContent = NO_WEBCRYPTO;
      return;
    }
    gate.querySelector(".caucus-join__fallback").remove();
    unlock.hidden = false;
    unlock.addEventListener("submit", async (event) => {
      event.preventDefault();
      status.textContent = "Checking the password…";
      let html;
      try {
        html = await unseal(gate, password.value);
      } catch (wrongPassword) {  // GCM's tag does not match: nothing was decrypted
        password.setAttribute("aria-invalid", "true");
        status.textContent = WRONG_PASSWORD;
        password.select();
        return;
      }
      reveal(gate, html);
      status.textContent = "The form is open. Fields not marked optional are required.";
    });
  }

  document.querySelectorAll("[data-caucus-join]").forEach(start);
})();
