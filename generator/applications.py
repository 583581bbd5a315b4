"""Sealed applications: the join form's answers encrypted to the caucus's public key in the browser.

The form service (or mail relay) between a reader and the membership
secretary sees only ciphertext. Each application is sealed with HPKE
(RFC 9180) in base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
AES-128-GCM to the X25519 public key in `join_public_key`; `assets/hpke.js`
does it with WebCrypto, and `caucus-site applications read` opens it here with
the `cryptography` package's HPKE and the private key only the secretary holds.

A sealed application is one token of text, `caucus-application-v1.` followed
by base64url (no padding) of HPKE's enc || ciphertext. The version names the
suite and the info string, so `read` can refuse what it cannot open instead of
guessing; the plaintext is the form's fields as a JSON object.
"""

from __future__ import annotations

import base64
import binascii
import email
import json
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

VERSION = 1
PREFIX = "caucus-application-v"
TOKEN = re.compile(r"caucus-application-v(\d+)\.([A-Za-z0-9_-]*)")
INFO = b"caucus application v1"  # HPKE's info: binds a sealed application to this use and version
SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_128_GCM)
KEY_PREFIX = "x25519:"  # the public key's text form in mkdocs.yml: x25519:<base64url of the 32 bytes>
ENC_BYTES = 32  # X25519's encapsulated key
TAG_BYTES = 16  # AES-GCM's tag


class BadKey(ValueError):
    """A public or private key that cannot be used; the message says what was expected."""


class Unreadable(ValueError):
    """One sealed application that cannot be opened; the message says why, never with a traceback."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def from_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_text(key: X25519PublicKey) -> str:
    return KEY_PREFIX + b64url(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def public_key_problem(text: str) -> str | None:
    """Why `text` is not a public key in the form `x25519:<base64url>`, or None when it is one (or empty)."""
    if not text:
        return None
    try:
        parse_public_key(text)
    except BadKey as exc:
        return str(exc)
    return None


def parse_public_key(text: str) -> X25519PublicKey:
    expected = f"a public key as `caucus-site applications keygen` prints it ({KEY_PREFIX}<43 base64url characters>)"
    if not text.startswith(KEY_PREFIX) or not re.fullmatch(r"[A-Za-z0-9_-]{43}", text[len(KEY_PREFIX):]):
        raise BadKey(f"Expected {expected} but received: {text!r}")
    return X25519PublicKey.from_public_bytes(from_b64url(text[len(KEY_PREFIX):]))


def new_private_key() -> tuple[bytes, str]:
    """A fresh key pair: the private key as PEM (PKCS #8), and the public key's text for mkdocs.yml."""
    key = X25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return pem, public_key_text(key.public_key())


def load_private_key(pem: bytes) -> X25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise BadKey("not a private key written by `caucus-site applications keygen` (PEM, PKCS #8)") from exc
    if not isinstance(key, X25519PrivateKey):
        raise BadKey("the private key is not an X25519 key")
    return key


def seal(fields: dict[str, str], public_key: X25519PublicKey) -> str:
    """What join.js does in the browser, for tests and for checking a key pair: fields -> token."""
    plaintext = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return f"{PREFIX}{VERSION}.{b64url(SUITE.encrypt(plaintext, public_key, info=INFO))}"


def open_token(version: str, body: str, key: X25519PrivateKey) -> dict[str, str]:
    """The fields of one sealed application, or Unreadable saying why."""
    if version != str(VERSION):
        raise Unreadable(f"it is sealed with version {version}, and this caucus-site reads only version {VERSION}; "
                         "update caucus-site")
    try:
        data = from_b64url(body)
    except (binascii.Error, ValueError):
        data = b""
    if len(data) < ENC_BYTES + TAG_BYTES:
        raise Unreadable("it is cut short (part of the message is missing)")
    try:
        plaintext = SUITE.decrypt(data, key, info=INFO)
    except (InvalidTag, ValueError):
        raise Unreadable("it cannot be opened with this key: it was sealed to another key, "
                         "or it was damaged or altered on the way") from None
    try:
        fields = json.loads(plaintext.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        fields = None
    if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
        raise Unreadable("it opened, but what it holds is not an application's fields")
    return fields


@dataclass(frozen=True)
class Found:
    """One sealed application in a text: where it is (1-based line) and its token's two parts."""

    line: int
    version: str
    body: str


def find_tokens(text: str) -> list[Found]:
    """Every sealed application in a text as it arrives: an email from a form service, its CSV export,
    a saved message. Quoted-printable soft line breaks are joined first, and a saved email's encoded
    parts are decoded, so a token wrapped or encoded by the mail on its way is still found whole."""
    tokens: dict[str, int] = {}  # each token once, with its line in the text as given
    for candidate in (text, _unwrapped(text), *_mail_parts(text)):
        for match in TOKEN.finditer(candidate):
            line = _line_of(text, match.group(0)[:40]) or candidate.count("\n", 0, match.start()) + 1
            tokens.setdefault(match.group(0), line)
    whole = [t for t in tokens if not any(o != t and o.startswith(t) for o in tokens)]  # not a wrapped token's head
    return sorted((Found(tokens[t], *TOKEN.fullmatch(t).groups()) for t in whole), key=lambda f: f.line)


def _unwrapped(text: str) -> str:
    return re.sub(r"=\r?\n", "", text)


def _mail_parts(text: str) -> list[str]:
    if not re.match(r"(?:[\w-]+:.*\r?\n)+", text):  # not a saved email: no headers at the top
        return []
    parts = []
    for part in email.message_from_string(text).walk():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            parts.append(payload.decode(part.get_content_charset() or "utf-8", errors="replace"))
    return parts


def _line_of(text: str, start: str) -> int:
    index = text.find(start)
    return text.count("\n", 0, index) + 1 if index >= 0 else 0
