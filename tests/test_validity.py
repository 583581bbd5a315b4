"""The pages are valid HTML by the Nu HTML Checker (npm vnu-jar on the system Java)."""

from __future__ import annotations

import shutil
import subprocess

from conftest import PROJECT_ROOT, require

VNU = PROJECT_ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
PAGES = ("index.html", "notes/index.html", "notes/what-caucuses-should-work-for/index.html",
         "projects/index.html", "projects/tanc/index.html", "join/index.html", "statement/index.html",
         "start/index.html", "tags/index.html", "404.html", "graph/index.html")


def nu_errors(site, pages) -> str:
    java = shutil.which("java")
    require(java is not None and VNU.is_file(), "the Nu HTML Checker needs Java and `npm ci` (vnu-jar)")
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "gnu",
                             *(str(site / page) for page in pages)],
                            capture_output=True, text=True)
    assert result.returncode == 0 or result.stderr
    return result.stderr.replace(str(site), "site")


def test_key_pages_have_no_html_errors(project_site):
    assert nu_errors(project_site, PAGES) == ""


def test_graphs_drawn_into_pages_are_valid_html(fixture_site):
    from test_neighbourhood import NOTES

    site = fixture_site(notes=NOTES, options="unresolved_references: info")
    site.build(strict=True)
    assert nu_errors(site.site, ("notes/2/index.html", "notes/3/index.html", "graph/index.html")) == ""
