/*
 * HPKE (RFC 9180) base mode, sender side, from WebCrypto alone: DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, AES-128-GCM. The join form seals each application with it to the caucus's public key
 * (generator/applications.py opens it with the `cryptography` package). HKDF is written out with
 * HMAC-SHA-256 because HPKE labels its Extract and Expand steps separately (RFC 9180 section 4),
 * which WebCrypto's HKDF cannot do. Checked against the RFC's test vectors (tests/test_sealed_browser.py).
 */
const CaucusHPKE = (() => {
  "use strict";

  const subtle = crypto.subtle;
  const utf8 = (text) => new TextEncoder().encode(text);

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    parts.reduce((at, part) => (out.set(part, at), at + part.length), 0);
    return out;
  }

  /* I2OSP(n, w): n as w big-endian bytes (section 3). */
  function i2osp(n, w) {
    const out = new Uint8Array(w);
    for (let i = w - 1; i >= 0; i--, n >>>= 8) out[i] = n & 0xff;
    return out;
  }

  const KEM_ID = 0x0020, KDF_ID = 0x0001, AEAD_ID = 0x0001;  // section 7: X25519, HKDF-SHA256, AES-128-GCM
  const N_SECRET = 32, N_SK = 32, N_K = 16, N_N = 12, N_H = 32;
  const KEM_SUITE = concat(utf8("KEM"), i2osp(KEM_ID, 2));  // section 4.1
  const HPKE_SUITE = concat(utf8("HPKE"), i2osp(KEM_ID, 2), i2osp(KDF_ID, 2), i2osp(AEAD_ID, 2));  // section 5.1
  const VERSION_LABEL = utf8("HPKE-v1");
  const EMPTY = new Uint8Array(0);

  /* HMAC-SHA-256. An empty key is HMAC's all-zero key (RFC 2104 pads keys with zeros; RFC 5869 section 2.2
   * uses HashLen zeros for an absent salt), which WebCrypto needs spelled out: it refuses empty keys. */
  async function hmac(key, data) {
    const k = await subtle.importKey("raw", key.length ? key : new Uint8Array(N_H),
      {name: "HMAC", hash: "SHA-256"}, false, ["sign"]);
    return new Uint8Array(await subtle.sign("HMAC", k, data));
  }

  /* LabeledExtract (section 4): HKDF-Extract(salt, "HPKE-v1" || suite_id || label || ikm). */
  function labeledExtract(suite, salt, label, ikm) {
    return hmac(salt, concat(VERSION_LABEL, suite, utf8(label), ikm));
  }

  /* LabeledExpand (section 4): HKDF-Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L),
   * HKDF-Expand being RFC 5869 section 2.3: T(i) = HMAC(prk, T(i-1) || info || i). */
  async function labeledExpand(suite, prk, label, info, length) {
    const labeledInfo = concat(i2osp(length, 2), VERSION_LABEL, suite, utf8(label), info);
    let block = EMPTY, out = EMPTY;
    for (let i = 1; out.length < length; i++) {
      block = await hmac(prk, concat(block, labeledInfo, i2osp(i, 1)));
      out = concat(out, block);
    }
    return out.slice(0, length);
  }

  /* An X25519 private key from its 32 bytes: PKCS #8's fixed prefix for X25519 (RFC 8410) + the key. */
  const PKCS8_X25519 = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e,
    0x04, 0x22, 0x04, 0x20]);

  async function publicBytes(privateKey) {  // SerializePublicKey (section 7.1.1): the raw 32 bytes
    const jwk = await subtle.exportKey("jwk", privateKey);
    return Uint8Array.from(atob(jwk.x.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  }

  /* DeriveKeyPair(ikm) for X25519 (section 7.1.3): sk = LabeledExpand(LabeledExtract("", "dkp_prk", ikm), "sk"). */
  async function deriveKeyPair(ikm) {
    const dkpPrk = await labeledExtract(KEM_SUITE, EMPTY, "dkp_prk", ikm);
    const sk = await labeledExpand(KEM_SUITE, dkpPrk, "sk", EMPTY, N_SK);
    const privateKey = await subtle.importKey("pkcs8", concat(PKCS8_X25519, sk), {name: "X25519"}, true,
      ["deriveBits"]);
    return {privateKey, publicKey: await publicBytes(privateKey)};
  }

  async function generateKeyPair() {  // GenerateKeyPair (section 4): a fresh ephemeral key from WebCrypto
    const pair = await subtle.generateKey({name: "X25519"}, true, ["deriveBits"]);
    return {privateKey: pair.privateKey, publicKey: new Uint8Array(await subtle.exportKey("raw", pair.publicKey))};
  }

  /* Encap(pkR) of DHKEM (section 4.1): dh = DH(skE, pkR); shared_secret = ExtractAndExpand(dh, enc || pkRm). */
  async function encap(recipient, ephemeral) {
    const pkR = await subtle.importKey("raw", recipient, {name: "X25519"}, false, []);
    const dh = new Uint8Array(await subtle.deriveBits({name: "X25519", public: pkR}, ephemeral.privateKey, 256));
    const enc = ephemeral.publicKey;
    const eaePrk = await labeledExtract(KEM_SUITE, EMPTY, "eae_prk", dh);
    const sharedSecret = await labeledExpand(KEM_SUITE, eaePrk, "shared_secret", concat(enc, recipient), N_SECRET);
    return {enc, sharedSecret};
  }

  /* KeySchedule(mode_base, shared_secret, info, psk = "", psk_id = "") (section 5.1). */
  async function keySchedule(sharedSecret, info) {
    const pskIdHash = await labeledExtract(HPKE_SUITE, EMPTY, "psk_id_hash", EMPTY);
    const infoHash = await labeledExtract(HPKE_SUITE, EMPTY, "info_hash", info);
    const context = concat(i2osp(0x00, 1), pskIdHash, infoHash);
    const secret = await labeledExtract(HPKE_SUITE, sharedSecret, "secret", EMPTY);
    return {key: await labeledExpand(HPKE_SUITE, secret, "key", context, N_K),
            baseNonce: await labeledExpand(HPKE_SUITE, secret, "base_nonce", context, N_N)};
  }

  /* SetupBaseS + ContextS.Seal of the first message (sections 5.1.1 and 5.2): its nonce is base_nonce
   * XOR I2OSP(0, Nn), which is base_nonce. `ephemeral` is for the test vectors; normally it is fresh. */
  async function seal(recipient, info, aad, plaintext, ephemeral) {
    const {enc, sharedSecret} = await encap(recipient, ephemeral || await generateKeyPair());
    const {key, baseNonce} = await keySchedule(sharedSecret, info);
    const aesKey = await subtle.importKey("raw", key, "AES-GCM", false, ["encrypt"]);
    const ciphertext = new Uint8Array(await subtle.encrypt(
      {name: "AES-GCM", iv: baseNonce, additionalData: aad}, aesKey, plaintext));
    return {enc, ciphertext, sharedSecret, key, baseNonce};
  }

  return {deriveKeyPair, seal, concat};
})();
