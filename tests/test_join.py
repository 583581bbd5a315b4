"""The join page: a contact link scrapers miss, and a recruitment form only the password opens."""

from __future__ import annotations

import base64
import gzip
import shutil
import subprocess
import textwrap

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASE_CONFIG, PROJECT_ROOT, BuildFailed, require
from generator import applications
from generator.join import FIELDS, HONEYPOT, ITERATIONS, Sealed, script_src, seal, unseal
from generator.model import Settings
from test_validity import VNU

CONTACT = "onboarding@communistcaucus.com"
PASSWORD = "a long recruitment passphrase"
ENDPOINT = "https://forms.example/f/secret-endpoint-7f3a?list=new&source=site"
SECRET_OPTIONS = """\
join_action: !ENV [CAUCUS_JOIN_ACTION, ""]
join_password: !ENV [CAUCUS_JOIN_PASSWORD, ""]
"""
JOIN_PAGE = {"join.md": """\
    # How do I join?

    If a member recruits you, you can fill out the form below using the password.

    <!-- caucus:join-form -->

    ## Want to contact us?

    Email us at <!-- caucus:contact -->
    """}

# A known vector computed with Node.js's WebCrypto (crypto.subtle.deriveKey + encrypt), the API
# join.js uses: decrypting it with the Python path shows both sides derive and decrypt alike.
VECTOR_PASSWORD = "correct horse battery staple"
VECTOR_SALT = bytes(range(16))
VECTOR_NONCE = bytes(range(0xA0, 0xAC))
VECTOR_PLAINTEXT = '<form action="https://forms.example/join">Join</form>'
VECTOR_CIPHERTEXT = ("9708dcf21615a48b43437ddc39b765c78c2e9c0fd633efda29bf56c75b4e409222adf501d92e4d"
                     "916cc546cebb18190780f8e664938f2bafe101f5517841e067404a3afa3e")

FAST = 1_000  # iterations for properties of the cipher; builds always use ITERATIONS


def join_site(fixture_site, monkeypatch, action: str = "", password: str = "", options: str = SECRET_OPTIONS,
              styled: bool = False):
    """A site with a join page whose secrets come from the environment, as in CI.

    `styled` adds the project's stylesheet, for tests that look at the page as readers see it.
    """
    for name, value in (("CAUCUS_JOIN_ACTION", action), ("CAUCUS_JOIN_PASSWORD", password)):
        monkeypatch.setenv(name, value) if value else monkeypatch.delenv(name, raising=False)
    if not styled:
        return fixture_site(docs=JOIN_PAGE, options=options)
    config = BASE_CONFIG.format(plugin_options=textwrap.indent(options, "      ")) + "extra_css: [assets/caucus.css]\n"
    stylesheet = (PROJECT_ROOT / "docs/assets/caucus.css").read_text(encoding="utf-8")
    return fixture_site(docs={**JOIN_PAGE, "assets/caucus.css": stylesheet}, config=config)


def sealed_on(article: BeautifulSoup) -> Sealed:
    gate = article.select_one("[data-caucus-join]")
    return Sealed(base64.b64decode(gate["data-ciphertext"]), base64.b64decode(gate["data-salt"]),
                  base64.b64decode(gate["data-nonce"]), int(gate["data-iterations"]))


def mailto_links(article: BeautifulSoup) -> list[tuple[str, str]]:
    return [(a["href"], a.get_text()) for a in article.select("a[href^=mailto]")]


# The cipher -------------------------------------------------------------------------------------

@settings(max_examples=15, deadline=None)
@given(password=st.text(min_size=1, max_size=40), plaintext=st.text(max_size=300))
def test_what_seal_encrypts_unseal_decrypts_with_that_password_only(password, plaintext):
    sealed = seal(password, plaintext, iterations=FAST)
    assert unseal(sealed, password) == plaintext
    assert unseal(sealed, password + "x") is None


def test_known_vector_from_webcrypto_decrypts_with_the_path_the_browser_mirrors():
    sealed = Sealed(bytes.fromhex(VECTOR_CIPHERTEXT), VECTOR_SALT, VECTOR_NONCE, 600_000)
    assert unseal(sealed, VECTOR_PASSWORD) == VECTOR_PLAINTEXT
    assert unseal(sealed, VECTOR_PASSWORD.upper()) is None


def test_sealing_is_deterministic_and_never_reuses_a_nonce_for_other_text():
    first, again = seal(PASSWORD, "<form>a</form>", FAST), seal(PASSWORD, "<form>a</form>", FAST)
    other = seal(PASSWORD, "<form>b</form>", FAST)
    assert first == again
    assert len(first.salt) == 16 and len(first.nonce) == 12
    assert other.nonce != first.nonce and other.salt != first.salt


def test_builds_use_at_least_600000_iterations():
    assert ITERATIONS >= 600_000


def test_settings_never_show_the_secrets():
    shown = repr(Settings(join_action=ENDPOINT, join_password=PASSWORD))
    assert PASSWORD not in shown and ENDPOINT not in shown


@pytest.mark.parametrize(("src_uri", "directory_urls", "expected"), [
    ("join.md", True, "../assets/caucus/join.js"),
    ("index.md", True, "assets/caucus/join.js"),
    ("about/join.md", True, "../../assets/caucus/join.js"),
    ("about/index.md", True, "../assets/caucus/join.js"),
    ("join.md", False, "assets/caucus/join.js"),
    ("about/join.md", False, "../assets/caucus/join.js"),
])
def test_script_is_linked_relative_to_the_page_url(src_uri, directory_urls, expected):
    assert script_src(src_uri, directory_urls) == expected


# The built page ----------------------------------------------------------------------------------

def test_contact_address_is_a_mailto_link_that_is_never_plain_text(fixture_site, monkeypatch):
    site = join_site(fixture_site, monkeypatch)
    site.build(strict=True)
    raw = (site.site / "join/index.html").read_text(encoding="utf-8")
    assert CONTACT not in raw and "mailto:" not in raw
    article = site.article("join/")
    assert mailto_links(article) == [(f"mailto:{CONTACT}", CONTACT)] * 2  # the notice and the contact line
    everywhere = [p for p in site.site.rglob("*") if p.is_file() and CONTACT.encode() in p.read_bytes()]
    assert everywhere == []  # not in the search index either


def test_contact_address_comes_from_the_plugin_option(fixture_site, monkeypatch):
    site = join_site(fixture_site, monkeypatch, options="contact_email: join@caucus.example\n")
    site.build(strict=True)
    assert set(mailto_links(site.article("join/"))) == {("mailto:join@caucus.example", "join@caucus.example")}


def test_without_secrets_the_page_says_whom_to_ask_and_has_no_form(fixture_site, monkeypatch):
    site = join_site(fixture_site, monkeypatch)
    site.build(strict=True)
    article = site.article("join/")
    assert "To join, talk to a member of Test caucus near you, or write to" in article.get_text(" ")
    assert article.select("form, input, [data-caucus-join]") == []
    assert site.warnings() == []


@pytest.mark.parametrize(("given", "missing", "line"), [
    ({"password": PASSWORD}, "join_action", 11), ({"action": ENDPOINT}, "join_password", 12)])
def test_one_secret_without_the_other_warns_naming_mkdocs_yml(fixture_site, monkeypatch, given, missing, line):
    site = join_site(fixture_site, monkeypatch, **given)
    site.build()
    present = ({"join_action", "join_password"} - {missing}).pop()
    assert [w for w in site.warnings() if "mkdocs.yml" in w] == [
        f"caucus: mkdocs.yml:{line}: warning: plugins.caucus.{present} is set but {missing} is empty, so the join page "
        f"shows the contact notice instead of the form; give {missing} a value (`{missing}: !ENV "
        f"[CAUCUS_{missing.upper()}, \"\"]` reads it from the CAUCUS_{missing.upper()} secret where the site "
        f"is built), or unset {present}"]
    article = site.article("join/")
    assert article.select("input[type=password]") == [] and "talk to a member" in article.get_text()
    with pytest.raises(BuildFailed):
        site.build(strict=True)


def test_the_right_password_opens_a_form_posting_every_field_to_the_endpoint(fixture_site, monkeypatch):
    site = join_site(fixture_site, monkeypatch, action=ENDPOINT, password=PASSWORD)
    site.build(strict=True)
    article = site.article("join/")
    sealed = sealed_on(article)
    assert sealed.iterations >= 600_000
    assert unseal(sealed, "a wrong passphrase") is None
    form = BeautifulSoup(unseal(sealed, PASSWORD), "html.parser").form
    assert (form["action"], form["method"]) == (ENDPOINT, "post")
    names = [control["name"] for control in form.select("input, textarea")]
    assert names == [f.name for f in FIELDS] + [HONEYPOT]
    for control in form.select("input, textarea"):
        assert form.select_one(f'label[for="{control["id"]}"]').get_text(strip=True)
    trap = form.select_one(f'[name="{HONEYPOT}"]')
    assert trap["tabindex"] == "-1" and trap.find_parent(attrs={"aria-hidden": "true"}) is not None
    assert form.select_one("[aria-live]") is not None


def test_the_gate_asks_for_the_password_and_loads_its_script_from_the_site(fixture_site, monkeypatch):
    site = join_site(fixture_site, monkeypatch, action=ENDPOINT, password=PASSWORD)
    site.build(strict=True)
    article = site.article("join/")
    password = article.select_one("input[type=password]")
    assert article.select_one(f'label[for="{password["id"]}"]').get_text() == "Recruitment password"
    assert article.select_one("[aria-live]") is not None
    [script] = article.select("script")
    assert script.get("src") == "../assets/caucus/join.js" and not script.string
    assert (site.site / "join" / script["src"]).resolve().is_file()
    assert article.select("form input[name=email]") == []  # the form itself is only in the ciphertext


def test_neither_secret_nor_the_private_key_appears_anywhere_in_the_built_site(fixture_site, monkeypatch):
    pem, public = applications.new_private_key()  # sealed applications: only the public key is published
    private = applications.load_private_key(pem).private_bytes_raw()
    site = join_site(fixture_site, monkeypatch, action=ENDPOINT, password=PASSWORD,
                     options=SECRET_OPTIONS + f"join_public_key: {public}\n")
    site.build(strict=True)
    secrets = [PASSWORD, ENDPOINT, ENDPOINT.replace("&", "&amp;"), "secret-endpoint-7f3a",
               *pem.decode().splitlines()[1:-1], applications.b64url(private), base64.b64encode(private).decode(),
               private.hex()]
    files = [p for p in site.site.rglob("*") if p.is_file()]
    assert any(p.name == "search_index.json" for p in files) and any(p.name == "sitemap.xml.gz" for p in files)
    leaks = []
    for path in files:
        data = path.read_bytes()
        text = gzip.decompress(data) if path.suffix == ".gz" else data
        leaks += [(path.name, s) for s in secrets if s.encode() in text]
    assert leaks == []


def test_two_builds_with_the_secrets_are_byte_identical(fixture_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site = join_site(fixture_site, monkeypatch, action=ENDPOINT, password=PASSWORD)

    def built() -> dict:
        site.build(strict=True)
        return {p.relative_to(site.site): p.read_bytes() for p in sorted(site.site.rglob("*")) if p.is_file()}

    first, second = built(), built()
    assert first.keys() == second.keys() and [str(p) for p in first if first[p] != second[p]] == []
    assert b"data-ciphertext" in first[next(p for p in first if str(p) == "join/index.html")]


@pytest.mark.parametrize("sealed", [False, True], ids=["plain", "sealed"])
def test_the_page_and_the_form_it_opens_are_valid_html(fixture_site, monkeypatch, tmp_path, sealed):
    java = shutil.which("java")
    require(java is not None and VNU.is_file(), "the Nu HTML Checker needs Java and `npm ci` (vnu-jar)")
    public_key = f"join_public_key: {applications.new_private_key()[1]}\n" if sealed else ""
    site = join_site(fixture_site, monkeypatch, action=ENDPOINT, password=PASSWORD, options=SECRET_OPTIONS + public_key)
    site.build(strict=True)
    page = site.site / "join/index.html"
    form = unseal(sealed_on(site.article("join/")), PASSWORD)
    opened = tmp_path / "opened.html"  # the page as join.js leaves it after the right password
    place = '<div class="caucus-join__form"></div>'
    html = page.read_text(encoding="utf-8")
    assert html.count(place) == 1
    opened.write_text(html.replace(place, place[:-6] + form + "</div>"), encoding="utf-8")
    result = subprocess.run([java, "-jar", str(VNU), "--format", "gnu", str(page), str(opened)],
                            capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")
