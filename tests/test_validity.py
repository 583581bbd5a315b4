"""The pages are valid HTML by the Nu HTML Checker (npm vnu-jar on the system Java)."""

from __future__ import annotations

import shutil
import subprocess

from conftest import PROJECT_ROOT, require

VNU = PROJECT_ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
PAGES = ("index.html", "notes/index.html", "notes/what-caucuses-should-work-for/index.html",
         "projects/index.html", "projects/tanc/index.html", "join/index.html", "statement/index.html",
         "start/index.html", "tags/index.html", "404.html")


def test_key_pages_have_no_html_errors(project_site):
    java = shutil.which("java")
    require(java is not None and VNU.is_file(), "the Nu HTML Checker needs Java and `npm ci` (vnu-jar)")
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "gnu",
                             *(str(project_site / page) for page in PAGES)],
                            capture_output=True, text=True)
    assert result.stderr.replace(str(project_site), "site") == ""
    assert result.returncode == 0
