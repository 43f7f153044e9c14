"""The form editions: each one a data file, read by name and checked against the spec.

Bundled editions are listed in EDITIONS and read by name through the package's
loader (pkgutil.get_data, which works from a wheel or a zip as importlib.resources
does, but without the 10-14 ms importlib.resources.files costs on its first call)
from a prepared copy (`form.json`, written from `form.yaml` and kept equal to it by
a test), which is read and checked in about 3 ms. Editions in a folder given with `--forms DIR`
are read from their `form.yaml` and checked like a report: every mistake is a
diagnostic at file:line:col. Nothing here scans a folder at import.
"""

from __future__ import annotations

import functools
import json
import os
import pkgutil
from pathlib import Path

from .check import EditionError, edition_from_data, trusted_edition
from .spec import (
    COLUMN_TYPES,
    FORMAT,
    KINDS,
    LANGUAGES,
    Column,
    Edition,
    Part,
    Question,
    Section,
    Step,
    Table,
    Texts,
    Vocabulary,
)

__all__ = [
    "COLUMN_TYPES",
    "DEFAULT",
    "EDITIONS",
    "FORMAT",
    "KINDS",
    "LANGUAGES",
    "Column",
    "Edition",
    "EditionError",
    "Part",
    "Question",
    "Section",
    "Step",
    "Table",
    "Texts",
    "Vocabulary",
    "add_folder",
    "bundled_folder",
    "known_editions",
    "load_edition",
    "load_edition_file",
    "prepared_text",
    "prose_folder",
    "reset_added",
]

# The bundled editions, oldest first. A new one is added here, never found by scanning.
EDITIONS: tuple[str, ...] = ("ehn-public-2024",)
DEFAULT = "ehn-public-2024"  # the edition `init` writes and the committed schema describes
FORM_FILE = "form.yaml"
PREPARED_FILE = "form.json"

# Editions added from --forms folders in this process: id -> edition.
_added: dict[str, Edition] = {}
# The folders added, also for the worker processes of `build --jobs N`: they inherit
# the environment, not the parent's memory.
FORMS_ENV = "EHNREPORT_FORMS"
_read_environment = False


def _from_environment() -> None:
    """Add the folders named in EHNREPORT_FORMS, once per process."""
    global _read_environment
    if _read_environment:
        return
    _read_environment = True
    named = os.environ.get(FORMS_ENV)
    if not named:
        return
    for folder in filter(None, named.split(os.pathsep)):
        try:
            add_folder(Path(folder))
        except EditionError:
            pass  # the command that set the variable checked the folder and reported it


def known_editions() -> tuple[str, ...]:
    """The ids of every edition a report may name: bundled ones, then added ones."""
    _from_environment()
    return EDITIONS + tuple(i for i in _added if i not in EDITIONS)


def load_edition(edition_id: str) -> Edition:
    """The edition with this id; KeyError when no bundled or added edition has it."""
    _from_environment()
    if edition_id in _added:
        return _added[edition_id]
    if edition_id not in EDITIONS:
        raise KeyError(edition_id)
    return _bundled(edition_id)


def _read_bundled(edition_id: str) -> Edition:
    raw = pkgutil.get_data(__package__, f"{edition_id}/{PREPARED_FILE}")
    if raw is None:  # pragma: no cover - a loader that cannot read package data
        raise KeyError(edition_id)
    return trusted_edition(json.loads(raw))


# Cached by a call, not a decorator, so that mutation testing (docs/mutation.md) reaches it.
_bundled = functools.cache(_read_bundled)


def bundled_folder(edition_id: str) -> Path:
    """The folder of a bundled edition inside the package (its prose templates)."""
    from importlib import resources  # only for building and tests: costs 10 ms to start

    return Path(str(resources.files(__package__).joinpath(edition_id)))


def prose_folder(edition_id: str, language: str) -> Path:
    """The folder of a bundled edition's prose templates in `language`.

    Each language has its own subfolder beside form.yaml, named by its code (`nb/`,
    `nn/`, `en/`), with the same file names in each.
    """
    return bundled_folder(edition_id) / language


def load_edition_file(path: Path) -> Edition:
    """An edition from its form.yaml; raises EditionError with every mistake found."""
    from ..errors import Diagnostic, os_reason
    from ..loader import LoadError, load_file
    from ..messages import msg

    name = str(path)
    try:
        loaded = load_file(path)
    except LoadError as exc:
        d = exc.diagnostic
        raise EditionError([d.at(name)]) from None
    except OSError as exc:
        raise EditionError(
            [
                Diagnostic(
                    1,
                    1,
                    "error",
                    "form-file",
                    "",
                    msg("forms.file-unreadable", reason=os_reason(exc)),
                    name,
                )
            ]
        ) from None
    return edition_from_data(loaded.data, loaded=loaded, file=name)


def add_folder(folder: Path) -> list[Edition]:
    """Add every edition in `folder` (one subfolder with a form.yaml each).

    Raises EditionError with the mistakes of every file. A folder without editions is
    a mistake too, so that a mistyped path is not silently ignored.
    """
    from ..errors import Diagnostic
    from ..messages import msg

    if not folder.is_dir():
        raise EditionError(
            [
                Diagnostic(
                    1,
                    1,
                    "error",
                    "forms-folder",
                    "",
                    msg("forms.folder-not-found"),
                    str(folder),
                )
            ]
        )
    found: list[Edition] = []
    problems: list[Diagnostic] = []
    for sub in sorted(p for p in folder.iterdir() if (p / FORM_FILE).is_file()):
        try:
            edition = load_edition_file(sub / FORM_FILE)
        except EditionError as exc:
            problems += exc.diagnostics
            continue
        if edition.id != sub.name:
            problems.append(
                Diagnostic(
                    1,
                    1,
                    "error",
                    "form-id",
                    "id",
                    msg("forms.id-not-folder", edition=edition.id, folder=sub.name),
                    str(sub / FORM_FILE),
                )
            )
            continue
        if edition.id in EDITIONS:
            problems.append(
                Diagnostic(
                    1,
                    1,
                    "error",
                    "form-id",
                    "id",
                    msg("forms.id-built-in", edition=edition.id),
                    str(sub / FORM_FILE),
                )
            )
            continue
        found.append(edition)
    if not found and not problems:
        problems.append(
            Diagnostic(
                1,
                1,
                "error",
                "forms-folder",
                "",
                msg("forms.no-editions", file=FORM_FILE),
                str(folder),
            )
        )
    if problems:
        raise EditionError(problems)
    for edition in found:
        _added[edition.id] = edition
    folders = os.environ.get(FORMS_ENV, "").split(os.pathsep)
    if str(folder.resolve()) not in folders:
        os.environ[FORMS_ENV] = os.pathsep.join(filter(None, [*folders, str(folder.resolve())]))
    return found


def reset_added() -> None:
    """Forget the editions added from folders (for tests and long-running processes)."""
    global _read_environment
    _added.clear()
    os.environ.pop(FORMS_ENV, None)
    _read_environment = True


def prepared_text(form_file: Path) -> str:
    """The prepared copy of an edition file: its data as JSON, checked first."""
    from ..loader import load_file

    load_edition_file(form_file)  # raises on any mistake: never prepare a broken edition
    data = load_file(form_file).data
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
