"""The user guide and the member-repository example: generated pages are fresh,
links resolve, the sample report is complete, and the CI files agree."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
import yaml

from ehnreport.cli import app
from ehnreport.clidoc import (
    CLI_COMMAND,
    FIELDS_COMMAND,
    KEYS_COMMAND,
    KEYS_END,
    KEYS_START,
    cli_reference,
    field_reference,
    key_table,
)
from ehnreport.forms import DEFAULT, load_edition
from ehnreport.validate import check_file

from .conftest import ROOT

DOCS = ROOT / "docs"
MEMBER = ROOT / "examples" / "member-repo"


def test_cli_reference_is_fresh():
    committed = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert committed == cli_reference(typer.main.get_command(app)), (
        f"docs/cli.md is stale: run `{CLI_COMMAND}`"
    )


def test_field_reference_is_fresh():
    committed = (DOCS / "felt.md").read_text(encoding="utf-8")
    assert committed == field_reference(), f"docs/felt.md is stale: run `{FIELDS_COMMAND}`"


def test_readme_key_table_is_fresh():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    committed = readme.split(KEYS_START + "\n", 1)[1].split(KEYS_END, 1)[0]
    assert committed == key_table(), f"README's key table is stale: run `{KEYS_COMMAND}`"


def test_field_reference_lists_every_question():
    text = field_reference()
    for step in load_edition(DEFAULT).steps:
        for q in step.questions:
            assert f"| {q.code} | `steps.{step.key}.{q.key}` |" in text


def test_cli_reference_names_every_command_and_option():
    command = typer.main.get_command(app)
    text = cli_reference(command)
    for name, sub in command.commands.items():
        assert f"## `ehnreport {name}`" in text
        for p in sub.params:
            for opt in p.opts:
                if opt.startswith("-"):
                    assert f"`{opt}`" in text, (name, opt)


def test_clidoc_main_writes_the_pages():
    out = subprocess.run(
        [sys.executable, "-m", "ehnreport.clidoc"], capture_output=True, check=True
    ).stdout
    assert out.decode("utf-8") == (DOCS / "cli.md").read_text(encoding="utf-8")
    felt = subprocess.run(
        [sys.executable, "-m", "ehnreport.clidoc", "felt"], capture_output=True, check=True
    ).stdout
    assert felt.decode("utf-8") == (DOCS / "felt.md").read_text(encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "ehnreport.clidoc", "nope"], capture_output=True, check=False
    )
    assert bad.returncode == 2


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md")))
def test_relative_links_in_the_guide_resolve(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if "://" in target:
            continue
        assert (DOCS / target).exists(), f"{page}: broken link {target}"


def test_member_repo_report_is_complete_and_valid():
    result = check_file(MEMBER / "report.yaml")
    assert result.valid
    assert [d.format() for d in result.diagnostics] == []
    assert all(c.answered == c.total for c in result.counts)
    assert result.report is not None and result.report.member.logo == "logo.svg"
    assert result.report.member.name == "Eksempel kommune"


def test_member_repo_logo_is_an_svg_with_a_title():
    svg = (MEMBER / "logo.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg ") and "<title" in svg and "</svg>" in svg


def test_member_repo_ci_files_are_the_examples():
    assert (MEMBER / ".github" / "workflows" / "ehnreport.yml").read_bytes() == (
        ROOT / "examples" / "ci" / "github-workflow.yml"
    ).read_bytes()
    assert (MEMBER / ".gitlab-ci.yml").read_bytes() == (
        ROOT / "examples" / "ci" / "gitlab-ci.yml"
    ).read_bytes()


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_github_action_and_workflow():
    action = load_yaml(ROOT / "action.yml")
    assert set(action["inputs"]) >= {"report", "python-version", "strict", "pdf-variant"}
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert 'pip install --quiet "$ACTION_PATH"' in runs
    assert "ehnreport validate" in runs and "--format github" in runs
    assert "ehnreport build" in runs
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") for s in steps)
    assert any(s.get("uses", "").startswith("actions/setup-python@") for s in steps)
    # Inputs reach the scripts as environment variables, never spliced into the code.
    assert "${{ inputs." not in runs
    workflow = load_yaml(ROOT / "examples" / "ci" / "github-workflow.yml")
    (job,) = workflow["jobs"].values()
    assert any(s.get("uses", "").endswith("/ehnreport@v0.1.0") for s in job["steps"])


def test_gitlab_ci_reports_code_quality_and_keeps_the_build():
    ci = load_yaml(ROOT / "examples" / "ci" / "gitlab-ci.yml")
    validate = ci["ehnreport-validate"]
    assert any(
        "--format gitlab" in line and "gl-code-quality-report.json" in line
        for line in validate["script"]
    )
    assert validate["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert ci["ehnreport-build"]["artifacts"]["paths"] == ["build/"]


HOOK_NAMES = {
    "report.yaml": True,
    "report.yml": True,
    "rapporter/report.yaml": True,
    "ehn-2024.yaml": True,
    "sub/ehn_rapport.yml": True,
    "notes.yaml": False,
    ".pre-commit-config.yaml": False,
    ".gitlab-ci.yml": False,
    "myreport.yaml": False,
    "report.yaml.bak": False,
    ".github/workflows/ehn-report.yml": False,
}


@pytest.mark.parametrize(("name", "matches"), sorted(HOOK_NAMES.items()))
def test_pre_commit_hook_picks_report_files(name, matches):
    (hook,) = load_yaml(ROOT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "ehnreport-validate"
    assert hook["entry"] == "ehnreport validate" and hook["language"] == "python"
    picked = re.search(hook["files"], name) and not re.search(hook["exclude"], name)
    assert bool(picked) is matches


def test_member_pre_commit_config_uses_the_hook():
    config = load_yaml(MEMBER / ".pre-commit-config.yaml")
    hooks = [h["id"] for repo in config["repos"] for h in repo["hooks"]]
    assert hooks == ["ehnreport-validate"]


def test_the_action_builds_outside_the_checkout():
    # SECURITY.md: a symbolic link `build` committed in a pull request must not steer
    # the write, so the action writes under the runner's temporary folder.
    steps = load_yaml(ROOT / "action.yml")["runs"]["steps"]
    build = next(s for s in steps if "ehnreport build" in s.get("run", ""))
    assert '--output "$RUNNER_TEMP/' in build["run"] and "--output build" not in build["run"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"].startswith("${{ runner.temp }}/")


def test_the_mutation_run_knows_every_module_pyproject_names():
    """scripts/mutation.py's modules and [tool.mutmut] only_mutate are one list, and each
    names a file that exists: a module added to one and not the other is never scored."""
    import importlib.util
    import tomllib

    spec = importlib.util.spec_from_file_location("mutation", ROOT / "scripts" / "mutation.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = config["tool"]["mutmut"]["only_mutate"]
    assert sorted(script.path_of(m) for m in script.ALL) == sorted(listed)
    assert all((ROOT / path).is_file() for path in listed)
    assert script.module_of("ehnreport.forms.__init__.x_read__mutmut_3") == "forms"
    assert script.module_of("ehnreport.importer.portal.xǁRowsǁadd__mutmut_1") == "importer.portal"
