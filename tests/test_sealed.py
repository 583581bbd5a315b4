"""Sealed applications: HPKE to the caucus's key, opened only with the secretary's private key."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from cryptography.hazmat.bindings._rust import openssl as rust_openssl
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from generator import applications
from generator.applications import SUITE

HPKE_SCRIPT = resources.files("generator").joinpath("assets/hpke.js").read_text(encoding="utf-8")


def rfc_vector() -> dict:
    """RFC 9180's vector for mode_base, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM (appendix A.1),
    from the pinned cryptography-vectors package."""
    import cryptography_vectors

    path = Path(cryptography_vectors.__file__).parent / "HPKE" / "test-vectors.json"
    vectors = json.loads(path.read_text(encoding="utf-8"))
    [vector] = [v for v in vectors if (v["mode"], v["kem_id"], v["kdf_id"], v["aead_id"]) == (0, 0x20, 1, 1)]
    return vector


def test_the_rfc_vector_decrypts_with_its_private_key_through_cryptography():
    vector = rfc_vector()
    key = X25519PrivateKey.from_private_bytes(bytes.fromhex(vector["skRm"]))
    first = vector["encryptions"][0]
    opened = rust_openssl.hpke._decrypt_with_aad(
        SUITE, bytes.fromhex(vector["enc"] + first["ct"]), key, info=bytes.fromhex(vector["info"]),
        aad=bytes.fromhex(first["aad"]))
    assert opened == bytes.fromhex(first["pt"])
