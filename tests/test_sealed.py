"""Sealed applications: HPKE to the caucus's key, opened only with the secretary's private key."""

from __future__ import annotations

import json
import logging
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.bindings._rust import openssl as rust_openssl
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from generator import applications
from generator.applications import SUITE
from generator.cli import main
from generator.options import InvalidOptions, settings_from

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


# Sealing and opening ------------------------------------------------------------------------------

FIELDS = {"name": "Ada Organizer", "email": "ada@example.org", "message": "Two lines\nand an ampersand &"}
OTHER = {"name": "Sam Steward", "email": "sam@example.org"}


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """Two key pairs written by `keygen` outside any repository: (path, public key text) each."""
    folder = tmp_path_factory.mktemp("keys")
    pairs = []
    for name in ("caucus.pem", "another.pem"):
        result = CliRunner().invoke(main, ["applications", "keygen", "-f", str(folder / "none.yml"),
                                           str(folder / name)])
        assert result.exit_code == 0, result.output
        pairs.append((folder / name, result.stdout.strip().removeprefix("join_public_key: ")))
    return pairs


def sealed_to(public: str, fields: dict[str, str]) -> str:
    return applications.seal(fields, applications.parse_public_key(public))


def read(*args, stdin: str | None = None):
    return CliRunner().invoke(main, ["applications", "read", *args], input=stdin)


def test_keygen_writes_a_private_key_only_its_owner_reads_and_prints_the_public_key_line(keys):
    (path, public), _ = keys
    assert path.stat().st_mode & 0o777 == 0o600
    assert applications.public_key_problem(public) is None
    key = applications.load_private_key(path.read_bytes())
    assert applications.public_key_text(key.public_key()) == public


def test_keygen_refuses_a_path_inside_the_repository_and_an_existing_file(fixture_site, keys):
    site = fixture_site(notes={"0001-a.md": "# A\n"})
    for inside in (site.root / "caucus.pem", site.root / "docs" / "caucus.pem"):
        result = CliRunner().invoke(main, ["applications", "keygen", "-f", str(site.root / "mkdocs.yml"), str(inside)])
        assert result.exit_code == 1 and "is inside the repository" in result.output and "Traceback" not in result.output
        assert not inside.exists()
    (existing, _), _ = keys
    before = existing.read_bytes()
    result = CliRunner().invoke(main, ["applications", "keygen", "-f", str(existing.parent / "none.yml"), str(existing)])
    assert result.exit_code == 1 and "already exists" in result.output and existing.read_bytes() == before


def test_read_finds_every_application_in_a_csv_export_as_text_and_json(keys, tmp_path):
    (path, public), _ = keys
    export = tmp_path / "export.csv"
    export.write_text(f'date,application,_gotcha\n2026-11-30,{sealed_to(public, FIELDS)},\n'
                      f'2026-12-01,"{sealed_to(public, OTHER)}",\n', encoding="utf-8")
    text = read("--key", str(path), str(export))
    assert text.exit_code == 0, text.output
    assert f"{export}:2: application 1\n  Name: Ada Organizer\n  Email: ada@example.org\n" in text.stdout
    assert "  Message: Two lines\n    and an ampersand &\n" in text.stdout
    assert f"{export}:3: application 2\n  Name: Sam Steward\n" in text.stdout
    as_json = read("--key", str(path), "--format", "json", str(export))
    assert as_json.exit_code == 0
    assert [(a["line"], a["fields"]) for a in json.loads(as_json.stdout)] == [(2, FIELDS), (3, OTHER)]


def test_read_opens_a_saved_email_with_the_token_wrapped_by_quoted_printable(keys):
    (path, public), _ = keys
    token = sealed_to(public, FIELDS)
    wrapped = "=\n".join(token[i:i + 75] for i in range(0, len(token), 75))
    mail = ("From: forms@service.example\nSubject: New submission\nContent-Type: text/plain; charset=utf-8\n"
            f"Content-Transfer-Encoding: quoted-printable\n\napplication: {wrapped}\n_gotcha:\n")
    result = read("--key", str(path), "--format", "json", stdin=mail)
    assert result.exit_code == 0, result.output
    assert [a["fields"] for a in json.loads(result.stdout)] == [FIELDS]


def test_an_altered_message_is_named_and_the_others_are_still_read(keys, tmp_path):
    (path, public), _ = keys
    good, altered = sealed_to(public, FIELDS), sealed_to(public, OTHER)
    at = len(altered) // 2
    altered = altered[:at] + ("A" if altered[at] != "A" else "B") + altered[at + 1:]  # one byte changed
    mail = tmp_path / "mail.txt"
    mail.write_text(f"first: {good}\nsecond: {altered}\n", encoding="utf-8")
    result = read("--key", str(path), str(mail))
    assert result.exit_code == 1
    assert "Name: Ada Organizer" in result.stdout and "Sam Steward" not in result.stdout
    assert (f"{mail}:2: application 2: error: it cannot be opened with this key: it was sealed to another key, "
            "or it was damaged or altered on the way") in result.stderr
    assert "Traceback" not in result.output


def test_another_key_fails_clearly_and_unknown_versions_and_cut_tokens_are_named(keys, tmp_path):
    (_, public), (other, _) = keys
    token = sealed_to(public, FIELDS)
    result = read("--key", str(other), stdin=token)
    assert result.exit_code == 1 and "<stdin>:1: application 1: error: it cannot be opened with this key" in result.stderr
    result = read("--key", str(other), stdin=token.replace("-v1.", "-v2.") + "\n" + token[:60])
    assert result.exit_code == 1
    assert "<stdin>:1: application 1: error: it is sealed with version 2" in result.stderr
    assert "<stdin>:2: application 2: error: it is cut short" in result.stderr
    assert read("--key", str(other), stdin="no application here").exit_code == 1


def test_a_public_key_that_is_not_one_is_refused_naming_the_option(tmp_path):
    with pytest.raises(InvalidOptions, match=r"plugins\.caucus\.join_public_key: Expected a public key"):
        settings_from({"join_public_key": "ssh-ed25519 AAAA"}, tmp_path, "docs")


# The built join page ------------------------------------------------------------------------------

def sealed_options(public: str) -> str:
    from test_join import SECRET_OPTIONS

    return SECRET_OPTIONS + f"join_public_key: {public}\n"


def test_with_a_public_key_the_form_names_only_the_sealed_field_and_the_honeypot(fixture_site, monkeypatch, keys):
    from bs4 import BeautifulSoup

    from generator.join import FIELDS as FORM_FIELDS, HONEYPOT, unseal
    from test_join import ENDPOINT, PASSWORD, join_site, sealed_on

    (_, public), _ = keys
    site = join_site(fixture_site, monkeypatch, action=ENDPOINT, password=PASSWORD, options=sealed_options(public))
    site.build(strict=True)
    form = BeautifulSoup(unseal(sealed_on(site.article("join/")), PASSWORD), "html.parser").form
    assert (form["action"], form["data-public-key"]) == (ENDPOINT, public)
    assert [c["name"] for c in form.select("[name]")] == ["application", HONEYPOT]
    assert [c["data-field"] for c in form.select("[data-field]")] == [f.name for f in FORM_FIELDS]


def test_a_bare_mailto_action_is_addressed_to_the_contact_address(fixture_site, monkeypatch, keys):
    from bs4 import BeautifulSoup

    from generator.join import unseal
    from test_join import CONTACT, PASSWORD, join_site, sealed_on

    (_, public), _ = keys
    site = join_site(fixture_site, monkeypatch, action="mailto:", password=PASSWORD, options=sealed_options(public))
    site.build(strict=True)
    form = BeautifulSoup(unseal(sealed_on(site.article("join/")), PASSWORD), "html.parser").form
    assert form["action"] == f"mailto:{CONTACT}"


@pytest.mark.parametrize("sealed", [False, True])
def test_the_build_says_once_when_applications_are_not_sealed(fixture_site, monkeypatch, keys, caplog, sealed):
    from test_join import ENDPOINT, PASSWORD, SECRET_OPTIONS, join_site

    (_, public), _ = keys
    options = sealed_options(public) if sealed else SECRET_OPTIONS
    site = join_site(fixture_site, monkeypatch, action=ENDPOINT, password=PASSWORD, options=options)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.caucus"):
        site.build(strict=True)  # a note, not a warning: --strict builds still pass
    said = [r.getMessage() for r in caplog.records if "applications are not sealed" in r.getMessage()]
    assert said == ([] if sealed else [
        "caucus: mkdocs.yml:11: info: plugins.caucus.join_public_key is not set, so applications are not sealed: "
        "the form service receives every field in plain text (`caucus-site applications keygen` makes a key pair; "
        "see the README's \"Sealed applications\")"])
