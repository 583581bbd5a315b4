"""hpke.js in Chromium: RFC 9180's published test vectors, computed with WebCrypto as the join form does."""

from __future__ import annotations

import pytest

from browser import static_site
from test_sealed import HPKE_SCRIPT, rfc_vector

pytestmark = pytest.mark.browser

RUN_VECTOR = """async (v) => {
  const hex = (s) => Uint8Array.from(s.match(/../g) || [], (b) => parseInt(b, 16));
  const toHex = (a) => Array.from(a, (b) => b.toString(16).padStart(2, "0")).join("");
  const ephemeral = await CaucusHPKE.deriveKeyPair(hex(v.ikmE));
  const first = v.encryptions[0];
  const out = await CaucusHPKE.seal(hex(v.pkRm), hex(v.info), hex(first.aad), hex(first.pt), ephemeral);
  return {enc: toHex(out.enc), shared_secret: toHex(out.sharedSecret), key: toHex(out.key),
          base_nonce: toHex(out.baseNonce), ct: toHex(out.ciphertext), pkEm: toHex(ephemeral.publicKey)};
}"""


def test_hpke_js_matches_the_rfc_9180_vector_for_x25519_hkdf_sha256_aes_128_gcm(browser_page, serve, tmp_path):
    (tmp_path / "index.html").write_text('<!doctype html><title>HPKE</title><link rel="icon" href="data:,">', encoding="utf-8")
    page = browser_page.page
    page.goto(serve(static_site(tmp_path)))  # 127.0.0.1 is a secure context: WebCrypto is there
    page.add_script_tag(content=HPKE_SCRIPT)
    vector = rfc_vector()
    got = page.evaluate(RUN_VECTOR, vector)
    first = vector["encryptions"][0]
    assert got == {"enc": vector["enc"], "shared_secret": vector["shared_secret"], "key": vector["key"],
                   "base_nonce": vector["base_nonce"], "ct": first["ct"], "pkEm": vector["pkEm"]}
    assert browser_page.errors == []
