"""The language the user asked for, read from the command line before anything else.

`--lang L` (or `--lang=L`) wins over EHNREPORT_LANG; neither means nb. Read before
Typer is imported, so that the help texts are made in that language and the quick
`validate` prints in it; a value that is not a language ends the command with exit
2 and one message in nb and en, since the user's language is just what is unknown.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

from . import messages
from .errors import printable


def refusal(value: str, source: str) -> str:
    """The message for an unknown language `value` from `source`, in nb and then en."""
    m = messages.msg("cli.unknown-language", value=printable(value), source=source)
    return "\n".join(m.text(lang) for lang in ("nb", "en"))


def choose_from(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> bool:
    """Choose the language `argv` or the environment asks for; False if it is unknown.

    An unknown value is said on standard error; with no value the language is nb.
    """
    env = dict(os.environ if environ is None else environ)
    value = messages.from_argv(argv, env)
    if value is None:
        messages.choose(messages.DEFAULT)
        return True
    if value not in messages.LANGUAGES:
        source = "--lang" if messages.from_argv(argv, {}) is not None else messages.ENV
        sys.stderr.write(refusal(value, source) + "\n")
        sys.stderr.flush()
        return False
    messages.choose(value)
    return True
