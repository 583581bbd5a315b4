/*
 * The join page's password gate, in the reader's browser.
 *
 * The build encrypted the recruitment form (endpoint included) with AES-256-GCM
 * under a key derived from the recruitment password with PBKDF2-HMAC-SHA256
 * (generator/join.py). Here WebCrypto derives the same key from what the reader
 * types and decrypts; a wrong password fails GCM's authentication and reveals
 * nothing. Loaded with <script src>, never inline, so a strict
 * Content-Security-Policy holds.
 */
(function () {
  "use strict";

  const WRONG_PASSWORD = "That password does not open the form. Please ask the member who recruited you " +
    "for the recruitment password.";
  const NO_WEBCRYPTO = "This browser cannot open the form here. Try another browser, or write to the address above.";

  function fromBase64(text) {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
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
