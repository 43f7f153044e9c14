"""Editions as data: a second edition and a copy of the bundled one, through --forms.

The edition in tests/data/forms/ehn-public-2025 differs from 2024 the way a real
revision would (a new table question, one question removed, one label reworded, one
section moved); nothing in the package knows about it. Every stage that dispatches on
a question's kind has a handler for every kind the spec allows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from ehnreport import checks, completeness, forms, scaffold
from ehnreport.cli import app
from ehnreport.forms import COLUMN_TYPES, KINDS
from ehnreport.loader import load_file
from ehnreport.model import factory
from ehnreport.render import BUILTIN
from ehnreport.validate import check_file
from ehnreport.yamlwriter import dump

from .conftest import DATA, ROOT
from .test_scaffold import uncomment_examples

FORMS = DATA / "forms"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _forget_added_editions() -> Iterator[None]:
    yield
    forms.reset_added()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False, env={"GITHUB_ACTIONS": ""})


# -- every stage handles every kind --------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "table"),
    [
        ("model factory", factory.HANDLERS),
        ("completeness", completeness.HANDLERS),
        ("cross checks", checks.RULES),
        ("init", scaffold.ANSWERS),
    ],
)
def test_every_stage_handles_every_kind(stage: str, table: dict[str, object]) -> None:
    assert set(table) == set(KINDS), stage


def test_every_kind_and_column_type_has_a_template() -> None:
    for kind in KINDS:
        assert (BUILTIN / "answers" / f"{kind}.html.j2").is_file(), kind
    for column_type in COLUMN_TYPES:
        assert (BUILTIN / "cells" / f"{column_type}.html.j2").is_file(), column_type
    assert set(factory.COLUMN_HANDLERS) == set(COLUMN_TYPES)


def test_the_test_edition_uses_no_code_of_its_own() -> None:
    files = {p.name for p in (FORMS / "ehn-public-2025").iterdir()}
    assert files == {"form.yaml"}


# -- a second edition ----------------------------------------------------------------


def _report_2025(tmp_path: Path, name: str = "report.yaml") -> Path:
    path = tmp_path / name
    args = ["init", str(path), "--forms", str(FORMS), "--form", "ehn-public-2025"]
    result = invoke(*args, "--member", "Prøve kommune", "--year", "2025")
    assert result.exit_code == 0, result.output
    text = uncomment_examples(path.read_text(encoding="utf-8"))
    head, step5 = text.split("\n  step5:\n", 1)
    step5 = step5.replace("    b1: |\n", "    b1: |\n      Vi lærte mye.\n", 1)
    text = head + "\n  step5:\n" + step5
    path.write_text(text, encoding="utf-8")
    return path


def test_second_edition_is_listed(tmp_path: Path) -> None:
    result = invoke("forms", "--forms", str(FORMS))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["Utgave", "Sektor", "År", "Språk", "Spørsmål"]
    assert lines[1].split() == ["ehn-public-2024", "public", "2024", "nb,", "nn,", "en", "27"]
    # One question removed, one added: still 27.
    assert lines[2].split() == ["ehn-public-2025", "public", "2025", "nb", "27"]


def test_second_edition_scaffolds_and_validates(tmp_path: Path) -> None:
    path = _report_2025(tmp_path)
    data = load_file(path).data
    assert data["report"]["form"] == "ehn-public-2025"
    assert "d2" not in data["steps"]["step1"]  # removed
    assert "e1" not in data["steps"]["step1"]  # moved to step 5
    assert data["steps"]["step5"]["b1"] == "Vi lærte mye.\n"
    assert data["steps"]["step6"]["a3"]["rows"][0]["source"] == "Fagforening"
    result = invoke("validate", "--forms", str(FORMS), "--format", "json", str(path))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)["files"][0]
    assert doc["valid"] is True
    assert {"step": 5, "answered": 1, "total": 2} in doc["answered"]
    assert {"step": 6, "answered": 1, "total": 4} in doc["answered"]
    messages = " ".join(d["message"] for d in doc["diagnostics"])
    assert "2.A.1 er ikke besvart: «Risikokartlegging i den enkelte anskaffelse" in messages
    assert "1.D.2" not in messages


def test_second_edition_refuses_what_it_removed(tmp_path: Path) -> None:
    path = _report_2025(tmp_path)
    text = path.read_text(encoding="utf-8").replace("  step1:\n", "  step1:\n    d2: Tekst\n", 1)
    path.write_text(text, encoding="utf-8")
    result = invoke("validate", "--forms", str(FORMS), str(path))
    assert result.exit_code == 1
    assert "error[unknown-key] steps.step1.d2: ukjent nøkkel «d2»." in result.output


def test_second_edition_schema(tmp_path: Path) -> None:
    result = invoke("schema", "--forms", str(FORMS), "--form", "ehn-public-2025")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    defs = schema["$defs"]
    assert defs["Meta"]["properties"]["form"]["const"] == "ehn-public-2025"
    assert "d2" not in defs["Step1"]["properties"]
    assert defs["Step5"]["properties"]["b1"]["x-code"] == "5.B.1"
    assert defs["Step6"]["properties"]["a3"]["title"].startswith("6.A.3 Hvilke klager")
    assert set(defs["Grievance"]["properties"]) == {"source", "topic", "cases", "closed"}
    assert defs["Grievance"]["required"] == ["source"]
    title = defs["Step2"]["properties"]["a1"]["title"]
    assert title == "2.A.1 Risikokartlegging i den enkelte anskaffelse og overordnet"


def test_second_edition_builds(tmp_path: Path) -> None:
    path = _report_2025(tmp_path)
    out = tmp_path / "build"
    result = invoke("build", "--forms", str(FORMS), "-o", str(out), str(path))
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Risikokartlegging i den enkelte anskaffelse og overordnet" in page
    table = page.split('<table class="form-table grievances">', 1)[1].split("</table>", 1)[0]
    for header in ("Hvem meldte", "Tema", "Antall saker", "Lukket"):
        assert f">{header}</th>" in table
    assert "<td>Fagforening</td>" in table and '<td class="cell-yes-no">Nei</td>' in table
    assert 'id="del-5-b"' in page and 'id="del-1-e"' not in page
    assert "1.D.2" not in page
    pdf = "\n".join(p.extract_text() for p in PdfReader(out / "report.pdf").pages)
    assert "Hvem meldte" in pdf and "5.B.1" in pdf


def test_second_edition_builds_in_worker_processes(tmp_path: Path) -> None:
    first = _report_2025(tmp_path, "a.yaml")
    second = _report_2025(tmp_path, "b.yaml")
    out = tmp_path / "build"
    # A fresh process: the workers learn of --forms through the environment.
    env = {k: v for k, v in os.environ.items() if k != forms.FORMS_ENV}
    done = subprocess.run(
        [sys.executable, "-m", "ehnreport", "build", "--html", "--jobs", "2"]
        + ["--forms", str(FORMS), "-o", str(out), str(first), str(second)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(list(out.rglob("*.html"))) == 2


# -- a copy of the bundled edition under a new id -------------------------------------

NEW_LABEL = "Begrunn prioriteringen av risikoområdene (prøveordlyd for 2099)."


def _copy_2099(tmp_path: Path) -> Path:
    folder = tmp_path / "skjema"
    (folder / "ehn-public-2099").mkdir(parents=True)
    data = load_file(forms.bundled_folder(forms.DEFAULT) / "form.yaml").data
    data["id"] = "ehn-public-2099"
    text = dump(data)
    old = (
        "2.A.4\n            key: a4\n            kind: text\n            label:\n              nb: "
    )
    start = text.index(old) + len(old)
    end = text.index("\n", start)
    text = text[:start] + NEW_LABEL + text[end:]
    (folder / "ehn-public-2099" / "form.yaml").write_text(text, encoding="utf-8")
    return folder


def test_copy_under_a_new_id_is_picked_up_through_forms(tmp_path: Path) -> None:
    folder = _copy_2099(tmp_path)
    report = tmp_path / "report.yaml"
    text = (ROOT / "examples" / "ntnu-2024.yaml").read_text(encoding="utf-8")
    text = text.replace("form: ehn-public-2024", "form: ehn-public-2099", 1)
    report.write_text(text, encoding="utf-8")

    result = invoke("validate", "--forms", str(folder), str(report))
    assert result.exit_code == 0, result.output
    assert f"steps.step2.a4: 2.A.4 er ikke besvart: «{NEW_LABEL}»" in result.output

    result = invoke("schema", "--forms", str(folder), "--form", "ehn-public-2099")
    assert result.exit_code == 0, result.output
    step2 = json.loads(result.output)["$defs"]["Step2"]["properties"]
    assert step2["a4"]["title"] == f"2.A.4 {NEW_LABEL}"

    out = tmp_path / "build"
    result = invoke("build", "--pdf", "--forms", str(folder), "-o", str(out), str(report))
    assert result.exit_code == 0, result.output
    pdf = " ".join(p.extract_text() for p in PdfReader(out / "report.pdf").pages)
    assert " ".join(NEW_LABEL.split()) in " ".join(pdf.split())

    forms.reset_added()
    result = invoke("validate", str(report))
    assert result.exit_code == 1
    assert "ukjent skjemautgave «ehn-public-2099»" in result.output
    assert "Kjente utgaver: ehn-public-2024" in result.output

    result = invoke("forms")
    assert result.exit_code == 0 and "ehn-public-2024" in result.output


# -- mistakes in a --forms folder ------------------------------------------------------


def test_mistakes_in_a_forms_folder_are_reported_at_their_line(tmp_path: Path) -> None:
    folder = _copy_2099(tmp_path)
    form_file = folder / "ehn-public-2099" / "form.yaml"
    text = form_file.read_text(encoding="utf-8").replace("kind: url", "kind: adresse", 1)
    form_file.write_text(text, encoding="utf-8")
    line = text.splitlines().index("            kind: adresse") + 1
    for command in (["validate", "x.yaml"], ["schema"], ["init", str(tmp_path / "r.yaml")]):
        result = invoke(command[0], "--forms", str(folder), *command[1:])
        assert result.exit_code == 1, (command, result.output)
        assert f"{form_file}:{line}:19: error[form-spec]" in result.output
        assert "«adresse» er ikke tillatt her" in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "r.yaml").exists()


@pytest.mark.parametrize(
    ("intro", "message"),
    [
        ("report.html.j2", "fant ikke tekstmalen «report.html.j2»"),
        ("../../../etc/passwd", "her står navnet på en tekstmal"),
        ("mangler.html.j2", "fant ikke tekstmalen «mangler.html.j2»"),
    ],
)
def test_an_edition_names_only_the_bundled_prose(tmp_path: Path, intro: str, message: str) -> None:
    folder = _copy_2099(tmp_path)
    form_file = folder / "ehn-public-2099" / "form.yaml"
    text = form_file.read_text(encoding="utf-8")
    form_file.write_text(text.replace("intro: step1_intro.html.j2", f"intro: {intro}"), "utf-8")
    result = invoke("validate", "--forms", str(folder), "x.yaml")
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda f: None, "fant ingen utgaver"),
        (lambda f: (f / "x").mkdir() or (f / "x" / "form.yaml").write_text("id: [\n"), "x"),
        (lambda f: (f / "x").mkdir() or (f / "x" / "form.yaml").write_text("- 1\n"), "gruppe"),
    ],
)
def test_a_broken_forms_folder_is_exit_1(tmp_path: Path, setup, message: str) -> None:
    folder = tmp_path / "skjema"
    folder.mkdir()
    setup(folder)
    result = invoke("forms", "--forms", str(folder))
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output


def test_a_missing_forms_folder_is_exit_1(tmp_path: Path) -> None:
    result = invoke("forms", "--forms", str(tmp_path / "finnes-ikke"))
    assert result.exit_code == 1
    assert "fant ikke mappen (--forms)" in result.output


def test_folder_and_id_must_agree(tmp_path: Path) -> None:
    folder = _copy_2099(tmp_path)
    (folder / "ehn-public-2099").rename(folder / "annet-navn")
    result = invoke("forms", "--forms", str(folder))
    assert result.exit_code == 1
    assert "utgaven heter «ehn-public-2099», men mappen heter «annet-navn»" in result.output


def test_validate_reads_only_the_edition_the_report_names(tmp_path: Path) -> None:
    folder = _copy_2099(tmp_path)
    report = tmp_path / "report.yaml"
    text = (ROOT / "examples" / "ntnu-2024.yaml").read_text(encoding="utf-8")
    report.write_text(text.replace("form: ehn-public-2024", "form: ehn-public-2099"), "utf-8")
    forms.add_folder(folder)
    forms._bundled.cache_clear()
    result = check_file(report)
    assert result.valid
    assert forms._bundled.cache_info().currsize == 0  # the bundled edition was never read
    check_file(ROOT / "examples" / "ntnu-2024.yaml")
    assert forms._bundled.cache_info().currsize == 1


# -- each code of a --forms folder, as the user sees it ---------------------------------


def test_a_missing_forms_folder_says_forms_folder(tmp_path: Path) -> None:
    missing = tmp_path / "finnes-ikke"
    result = invoke("validate", "--forms", str(missing), "x.yaml")
    assert result.exit_code == 1
    assert f"{missing}:1:1: error[forms-folder] fant ikke mappen (--forms).\n" in result.output


def test_a_forms_folder_without_editions_says_forms_folder(tmp_path: Path) -> None:
    (tmp_path / "tom").mkdir()  # a subfolder without a form.yaml is not an edition
    result = invoke("forms", "--forms", str(tmp_path))
    assert result.exit_code == 1
    assert (
        f"{tmp_path}:1:1: error[forms-folder] fant ingen utgaver: hver utgave ligger i en "
        "egen mappe med en form.yaml.\n"
    ) in result.output


def test_an_unreadable_form_file_says_form_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy_2099(tmp_path)
    form_file = folder / "ehn-public-2099" / "form.yaml"
    opened = Path.open

    # The suite runs as root, which reads a file without read permission: refuse it here.
    def refuse(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self == form_file:
            raise PermissionError(13, "Permission denied", str(self))
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = invoke("forms", "--forms", str(folder))
    assert result.exit_code == 1, result.output
    assert (
        f"{form_file}:1:1: error[form-file] kan ikke leses (Permission denied).\n" in result.output
    )


def test_an_id_other_than_the_folder_says_form_id(tmp_path: Path) -> None:
    folder = _copy_2099(tmp_path)
    (folder / "ehn-public-2099").rename(folder / "annet-navn")
    result = invoke("forms", "--forms", str(folder))
    assert result.exit_code == 1
    assert (
        f"{folder / 'annet-navn' / 'form.yaml'}:1:1: error[form-id] id: utgaven heter "
        "«ehn-public-2099», men mappen heter «annet-navn»; gi dem samme navn.\n"
    ) in result.output


def test_a_bundled_id_in_a_forms_folder_says_form_id(tmp_path: Path) -> None:
    folder = tmp_path / "skjema"
    (folder / forms.DEFAULT).mkdir(parents=True)
    form_file = folder / forms.DEFAULT / "form.yaml"
    form_file.write_bytes((forms.bundled_folder(forms.DEFAULT) / "form.yaml").read_bytes())
    result = invoke("forms", "--forms", str(folder))
    assert result.exit_code == 1
    assert (
        f"{form_file}:1:1: error[form-id] id: «{forms.DEFAULT}» er en innebygd utgave; "
        "gi utgaven i mappen et nytt navn.\n"
    ) in result.output


@pytest.mark.parametrize("bound", ["min_length: 1", "max_length: 40"])
def test_a_length_bound_on_a_number_is_an_edition_mistake_not_a_crash(
    tmp_path: Path, bound: str
) -> None:
    # A length bound on a count made the model refuse every number with a TypeError.
    folder = _copy_2099(tmp_path)
    form_file = folder / "ehn-public-2099" / "form.yaml"
    text = form_file.read_text(encoding="utf-8")
    at = "        key: employees\n        kind: count\n"
    assert at in text
    form_file.write_text(text.replace(at, at + f"        {bound}\n", 1), encoding="utf-8")
    line = text[: text.index(at) + len(at)].count("\n") + 1  # the line added
    result = invoke("validate", "--forms", str(folder), "x.yaml")
    assert result.exit_code == 1, result.output
    where = f"parts_before[3].questions[2].{bound.split(':')[0]}"
    assert (
        f"{form_file}:{line}:21: error[form-spec] {where}: "
        "min_length og max_length gjelder bare tekst; et spørsmål av typen count kan ikke "
        "ha dem. Typer med tekst: email, file, line, text, url."
    ) in result.output
    assert "Traceback" not in result.output
