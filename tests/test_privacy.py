"""Readers are not tracked: nothing loads from another host, and the headers say so to browsers."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from conftest import BASE_CONFIG, PROJECT_ROOT
from generator.headers import script_hash

# Attributes through which a page makes the browser fetch something by itself.
FETCHING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
            "video": "src", "embed": "src", "object": "data", "link": "href"}
CSS_URL = re.compile(r"(?:url\(|@import\s+)\s*['\"]?([^'\")\s]+)", re.IGNORECASE)


def is_remote(url: str) -> bool:
    return url.lower().startswith(("http://", "https://", "//"))


def build_site_with_chrome(fixture_site):
    config = BASE_CONFIG.format(plugin_options="").replace(
        "  font: false\n", f"  font: false\n  custom_dir: {PROJECT_ROOT / 'overrides'}\n")
    site = fixture_site(notes={"0001-a.md": "# A\n\nSee [a union](https://union.example/).\n"}, config=config)
    site.build(strict=True)
    return site


def html_pages(site_dir):
    for path in sorted(site_dir.rglob("*.html")):
        yield path, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_no_page_or_stylesheet_fetches_from_another_host(fixture_site):
    site = build_site_with_chrome(fixture_site)
    remote = []
    for path, page in html_pages(site.site):
        for tag, attr in FETCHING.items():
            for element in page.find_all(tag):
                rel = element.get("rel") or []
                if tag == "link" and ("alternate" in rel or "canonical" in rel):
                    continue  # pointers for feed readers and crawlers, not fetched by the page
                if is_remote(element.get(attr, "")):
                    remote.append((path.name, tag, element[attr]))
    for css in site.site.rglob("*.css"):
        remote += [(css.name, "css", url) for url in CSS_URL.findall(css.read_text(encoding="utf-8"))
                   if is_remote(url)]
    assert remote == []


def test_every_page_sets_a_strict_referrer_policy(fixture_site):
    site = build_site_with_chrome(fixture_site)
    for path, page in html_pages(site.site):
        if path.name == "index.html":
            meta = page.select_one('meta[name="referrer"]')
            assert meta is not None and meta["content"] == "strict-origin-when-cross-origin", path


def test_headers_file_allows_exactly_the_inline_scripts_the_site_has(fixture_site):
    site = build_site_with_chrome(fixture_site)
    headers = (site.site / "_headers").read_text(encoding="utf-8")
    csp = re.search(r"Content-Security-Policy: (.*)", headers).group(1)
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src")).split()[1:]
    inline = {script_hash(s.string or "") for _, page in html_pages(site.site)
              for s in page.find_all("script") if not s.get("src") and not s.get("type")}
    assert inline and set(script_src) == {"'self'"} | inline
    assert "'unsafe-inline'" not in script_src and "default-src 'self'" in csp
    assert "X-Content-Type-Options: nosniff" in headers
    assert "Referrer-Policy: strict-origin-when-cross-origin" in headers
