"""The join page: a contact link scrapers miss, and the recruitment form behind a password.

Recruitment is intentional: the form is for people a member has recruited,
who get the recruitment password from that member. So the build never
publishes the form or its endpoint in the clear. It encrypts the form's HTML
(endpoint included) with AES-256-GCM under a key derived from the password
with PBKDF2-HMAC-SHA256; `assets/join.js` repeats the derivation with
WebCrypto and decrypts in the reader's browser. `site/` holds only
ciphertext, so the password and the endpoint stay in CI's secrets.

Salt and nonce are derived from the content instead of drawn at random, so
two builds of the same input are byte-identical, and a nonce is never reused
for a different plaintext under the same key (the nonce is a MAC of the
plaintext under that key).

With `join_public_key` set, the form also seals each application in the
reader's browser (HPKE to that key, `assets/hpke.js`; see applications.py),
so the form service receives one sealed field and the honeypot, nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import posixpath
from dataclasses import dataclass
from importlib import resources

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from .model import Finding, Settings
from .rendering import render

CONTACT_MARKER = "<!-- caucus:contact -->"
JOIN_FORM_MARKER = "<!-- caucus:join-form -->"
SCRIPT = "assets/caucus/join.js"  # where the site publishes assets/join.js

ITERATIONS = 600_000  # OWASP's 2023 figure for PBKDF2-HMAC-SHA256
KEY_BYTES = 32  # AES-256
SALT_BYTES = 16
NONCE_BYTES = 12  # the size AES-GCM is designed for
SALT_TAG = b"caucus join salt\x00"
NONCE_TAG = b"caucus join nonce\x00"


@dataclass(frozen=True)
class Field:
    """One field of the recruitment form, as the endpoint receives it (`name`) and a reader sees it."""

    name: str
    label: str
    kind: str = "text"  # an <input> type, or "textarea"
    required: bool = False
    autocomplete: str = ""


FIELDS = (
    Field("name", "Name", required=True, autocomplete="name"),
    Field("email", "Email", "email", required=True, autocomplete="email"),
    Field("phone", "Phone", "tel", autocomplete="tel"),
    Field("area", "City or area", required=True, autocomplete="address-level2"),
    Field("chapter", "Chapter or organization", autocomplete="organization"),
    Field("recruiter", "Who recruited you", required=True),
    Field("project", "The organizing project you have in mind", "textarea"),
    Field("message", "Message", "textarea"),
)
HONEYPOT = "_gotcha"  # the name Formspree and Basin discard submissions by
SEALED_FIELD = "application"  # the one field a sealed form posts besides the honeypot
MAILTO = "mailto:"  # join_action for no form service: the reader's mail program, to the contact address


@dataclass(frozen=True)
class Sealed:
    """What the page carries: everything the browser needs to decrypt, except the password.

    `ciphertext` is AES-GCM's output, the encrypted text followed by the
    16-byte tag, which is the layout WebCrypto's decrypt expects.
    """

    ciphertext: bytes
    salt: bytes
    nonce: bytes
    iterations: int


def derive_key(password: str, salt: bytes, iterations: int) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, iterations=iterations)
    return kdf.derive(password.encode("utf-8"))


def seal(password: str, plaintext: str, iterations: int = ITERATIONS) -> Sealed:
    """Encrypt deterministically: salt and nonce come from the plaintext (see the module docstring)."""
    data = plaintext.encode("utf-8")
    salt = hashlib.sha256(SALT_TAG + data).digest()[:SALT_BYTES]
    key = derive_key(password, salt, iterations)
    nonce = hmac.new(key, NONCE_TAG + data, hashlib.sha256).digest()[:NONCE_BYTES]
    return Sealed(AESGCM(key).encrypt(nonce, data, None), salt, nonce, iterations)


def unseal(sealed: Sealed, password: str) -> str | None:
    """The plaintext, or None for a wrong password: the same steps join.js takes with WebCrypto."""
    key = derive_key(password, sealed.salt, sealed.iterations)
    try:
        return AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, None).decode("utf-8")
    except InvalidTag:
        return None


def entities(text: str) -> str:
    """Every character as a numeric HTML entity: browsers read it, scrapers matching text do not."""
    return "".join(f"&#{ord(char)};" for char in text)


def contact_link(address: str) -> str:
    """A mailto link that works without JavaScript and never shows the address as plain text.

    `data-search-exclude` keeps it out of the search index, which would
    otherwise hold the decoded address.
    """
    return f'<a href="{entities("mailto:" + address)}" data-search-exclude>{entities(address)}</a>'


def script_src(src_uri: str, use_directory_urls: bool) -> str:
    """join.js relative to the page's URL, so the site works from any folder of any host."""
    stem, name = posixpath.split(src_uri.removesuffix(".md"))
    page_dir = posixpath.join(stem, name) if use_directory_urls and name != "index" else stem
    return posixpath.relpath(SCRIPT, page_dir or ".")


def form_is_configured(settings: Settings) -> bool:
    return bool(settings.join_action and settings.join_password)


def form_action(settings: Settings) -> str:
    """The endpoint; a bare `mailto:` is addressed to the contact address."""
    return MAILTO + settings.contact_email if settings.join_action == MAILTO else settings.join_action


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def join_section(settings: Settings, src_uri: str) -> str:
    """The form behind its password gate, or, when either secret is missing, how to reach a member."""
    contact = contact_link(settings.contact_email)
    if not form_is_configured(settings):
        return render("join_notice.md.j2", contact=contact, site_name=settings.site_name)
    form = render("join_form.html.j2", action=form_action(settings), fields=FIELDS, honeypot=HONEYPOT,
                  public_key=settings.join_public_key, sealed_field=SEALED_FIELD)
    sealed = seal(settings.join_password, form)
    return render("join_gate.html.j2", contact=contact, script=script_src(src_uri, settings.use_directory_urls),
                  ciphertext=b64(sealed.ciphertext), salt=b64(sealed.salt), nonce=b64(sealed.nonce),
                  iterations=sealed.iterations)


def fill_join_markers(markdown: str, settings: Settings, src_uri: str) -> str:
    """A hand-written page with its contact and join-form placeholders rendered (encrypting only if needed)."""
    if CONTACT_MARKER in markdown:
        markdown = markdown.replace(CONTACT_MARKER, contact_link(settings.contact_email))
    if JOIN_FORM_MARKER in markdown:
        markdown = markdown.replace(JOIN_FORM_MARKER, join_section(settings, src_uri))
    return markdown


def join_findings(settings: Settings, config_text: str) -> list[Finding]:
    """A warning when only one of the two secrets is set: the page then shows the notice, not the form;
    a note (info, which --strict lets pass) when the form is published but applications are not sealed."""
    if form_is_configured(settings) and not settings.join_public_key:
        return [Finding(settings.config_file, option_line(config_text, "join_action"), "info",
                        "plugins.caucus.join_public_key is not set, so applications are not sealed: the form "
                        "service receives every field in plain text (`caucus-site applications keygen` makes "
                        "a key pair; see the README's \"Sealed applications\")")]
    given = {"join_action": settings.join_action, "join_password": settings.join_password}
    missing = [name for name, value in given.items() if not value]
    if len(missing) != 1:
        return []
    [absent] = missing
    [present] = set(given) - {absent}
    variable = f"CAUCUS_{absent.upper()}"
    message = (f"plugins.caucus.{present} is set but {absent} is empty, so the join page shows the contact "
               f"notice instead of the form; give {absent} a value (`{absent}: !ENV [{variable}, \"\"]` reads "
               f"it from the {variable} secret where the site is built), or unset {present}")
    return [Finding(settings.config_file, option_line(config_text, absent), "warning", message)]


def option_line(config_text: str, option: str) -> int:
    """The line of mkdocs.yml naming the option, else of the caucus plugin entry, else 1."""
    lines = config_text.splitlines()
    for needle in (f"{option}:", "caucus"):
        for number, line in enumerate(lines, start=1):
            if needle in line and not line.lstrip().startswith("#"):
                return number
    return 1


def script() -> str:
    """The browser half of the gate, published with the site at SCRIPT: HPKE, then the gate itself."""
    assets = resources.files("generator").joinpath("assets")
    return "\n".join(assets.joinpath(name).read_text(encoding="utf-8") for name in ("hpke.js", "join.js"))
