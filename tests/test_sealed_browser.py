"""Sealed applications in Chromium: hpke.js against RFC 9180's vectors, and the join form end to end."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from browser import axe_violations, recording_endpoint, static_site
from generator.cli import main
from test_join import CONTACT, PASSWORD, join_site
from test_join_browser import ANSWERS, unlock
from test_sealed import HPKE_SCRIPT, keys, rfc_vector, sealed_options  # noqa: F401 (keys is a fixture)

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


def fill_and_send(page) -> None:
    if page.get_by_label("Recruitment password").count():
        unlock(page, PASSWORD)
    for label, answer in zip(LABELS, ANSWERS.values()):
        page.get_by_label(label, exact=True).fill(answer)
    page.get_by_role("button", name="Send").click()


LABELS = ["Name", "Email", "Phone (optional)", "City or area", "Chapter or organization (optional)",
          "Who recruited you", "The organizing project you have in mind (optional)", "Message (optional)"]


def read_applications(tmp_path, key, text: str):
    received = tmp_path / "received.txt"
    received.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["applications", "read", "--key", str(key), "--format", "json", str(received)])


def test_the_form_posts_only_a_sealed_application_that_the_key_opens_and_no_other_key_does(
        fixture_site, monkeypatch, serve, browser_page, keys, tmp_path):
    (key, public), (other, _) = keys
    posts: list[dict[str, list[str]]] = []
    endpoint = serve(recording_endpoint(posts)) + "signup"
    site = join_site(fixture_site, monkeypatch, action=endpoint, password=PASSWORD, options=sealed_options(public),
                     styled=True)  # as readers see it: links underlined
    site.build(strict=True)
    page = browser_page.page
    page.goto(serve(static_site(site.site)) + "join/")
    unlock(page, PASSWORD)
    assert axe_violations(page, ".caucus-join") == []
    with page.expect_navigation(url=endpoint):
        fill_and_send(page)
    [post] = posts
    assert sorted(post) == ["_gotcha", "application"] and post["_gotcha"] == [""]
    [sealed] = post["application"]
    assert sealed.startswith("caucus-application-v1.")
    words = [w for answer in ANSWERS.values() for w in [answer, *answer.split()] if len(w) >= 5]
    assert [word for word in words if word in repr(post)] == []  # no value, nor a word of one (random base64
    # holds a given 5-letter word about once in a million posts), reaches the endpoint
    opened = read_applications(tmp_path, key, f"application,_gotcha\n{sealed},\n")
    assert opened.exit_code == 0, opened.output
    assert [a["fields"] for a in json.loads(opened.stdout)] == [ANSWERS]
    refused = read_applications(tmp_path, other, sealed)
    assert refused.exit_code == 1 and "application 1: error: it cannot be opened with this key" in refused.stderr
    assert browser_page.errors == []


def test_with_mailto_the_mail_program_opens_to_the_contact_address_with_the_sealed_application(
        fixture_site, monkeypatch, serve, browser_page, keys, tmp_path):
    from playwright.sync_api import expect

    (key, public), _ = keys
    site = join_site(fixture_site, monkeypatch, action="mailto:", password=PASSWORD, options=sealed_options(public))
    site.build(strict=True)
    page = browser_page.page
    page.goto(serve(static_site(site.site)) + "join/")
    fill_and_send(page)
    form = page.locator("form.caucus-join__signup")
    expect(form).to_have_attribute("data-mailto", re.compile("^mailto:"))
    mailto = urlsplit(form.get_attribute("data-mailto"))
    query = parse_qs(mailto.query)
    assert mailto.path == CONTACT and sorted(query) == ["body", "subject"]
    assert not [answer for answer in ANSWERS.values() if answer in query["body"][0]]
    opened = read_applications(tmp_path, key, query["body"][0])
    assert [a["fields"] for a in json.loads(opened.stdout)] == [ANSWERS]
