"""Every diagnostic code the package can produce, read from its source.

The codes are collected with the `ast` module, not imported from a registry: a code
written anywhere in the package counts, whether or not someone remembered to list it.
A code reaches the user as the `code` field of a `Diagnostic`, so the scan starts there
and follows the helpers that forward their own `code` parameter into one (`_fail`,
`warn`, `add`, …), to any depth. A call whose code it cannot read (neither a string
literal, nor a forwarded parameter, nor the first item of a helper's returned tuples,
nor another diagnostic's `.code`) is an error, so a new way of making diagnostics cannot
slip past the corpus unseen.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ehnreport"

# Diagnostic(line, column, severity, code, path, message, file)
_DIAGNOSTIC_CODE_INDEX = 3


@dataclass
class Scan:
    """What the scan found: code → places that make it, and calls it could not read."""

    codes: dict[str, list[str]] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)

    def add(self, code: str, where: str) -> None:
        self.codes.setdefault(code, []).append(where)


@dataclass(frozen=True)
class _Def:
    """A function or method, with where it is defined."""

    module: str
    scope: tuple[str, ...]  # names of the enclosing functions, outermost first
    node: ast.FunctionDef
    is_method: bool

    @property
    def params(self) -> list[str]:
        names = [a.arg for a in self.node.args.posonlyargs + self.node.args.args]
        return names[1:] if self.is_method else names


class _Module:
    """One parsed module: its functions and each call's enclosing function."""

    def __init__(self, name: str, tree: ast.Module):
        self.name = name
        self.defs: list[_Def] = []
        self.calls: list[tuple[ast.Call, _Def | None]] = []
        self._visit(tree, (), None, in_class=False)

    def _visit(
        self, node: ast.AST, scope: tuple[str, ...], fn: _Def | None, in_class: bool
    ) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef):
                d = _Def(self.name, scope, child, in_class)
                self.defs.append(d)
                self._visit(child, scope + (child.name,), d, in_class=False)
            elif isinstance(child, ast.ClassDef):
                self._visit(child, scope, fn, in_class=True)
            else:
                if isinstance(child, ast.Call):
                    self.calls.append((child, fn))
                self._visit(child, scope, fn, in_class)


def _resolve(call: ast.Call, caller: _Def | None, module: _Module, all_defs: list[_Def]):
    """The definition a call reaches, as far as names tell; "Diagnostic" for the record."""
    func = call.func
    if isinstance(func, ast.Attribute):
        methods = [d for d in all_defs if d.is_method and d.node.name == func.attr]
        return methods[0] if len(methods) == 1 else None
    if not isinstance(func, ast.Name):
        return None
    if func.id == "Diagnostic":
        return "Diagnostic"
    scope = caller.scope + (caller.node.name,) if caller else ()
    while True:  # the innermost enclosing definition of that name, then the module's
        for d in module.defs:
            if not d.is_method and d.node.name == func.id and d.scope == scope:
                return d
        if not scope:
            break
        scope = scope[:-1]
    imported = [d for d in all_defs if not d.is_method and not d.scope and d.node.name == func.id]
    return imported[0] if len(imported) == 1 else None


def _code_arg(call: ast.Call, index: int) -> ast.expr | None:
    """The argument at `index` or keyword `code`; None when absent."""
    for kw in call.keywords:
        if kw.arg == "code":
            return kw.value
    position = 0
    for arg in call.args:
        if isinstance(arg, ast.Starred):
            # Diagnostic(*_pos(mark), ...) spreads (line, column) over two places.
            position += 2
            continue
        if position == index:
            return arg
        position += 1
    return None


def _tuple_sources(fn: ast.FunctionDef, name: str) -> list[ast.Call]:
    """Calls whose result `name` is unpacked from first: `name, x = f(...)`."""
    out = []
    for node in ast.walk(fn):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.targets[0], ast.Tuple)
        ):
            first = node.targets[0].elts[0]
            if isinstance(first, ast.Name) and first.id == name:
                out.append(node.value)
    return out


def scan(package: Path = PACKAGE) -> Scan:
    """All diagnostic codes in the package's modules."""
    modules = [
        _Module(str(p.relative_to(package.parent)), ast.parse(p.read_text(encoding="utf-8")))
        for p in sorted(package.rglob("*.py"))
    ]
    all_defs = [d for m in modules for d in m.defs]
    calls = [
        (call, caller, m, _resolve(call, caller, m, all_defs))
        for m in modules
        for call, caller in m.calls
    ]
    # definition (or "Diagnostic") → index of its code argument
    sinks: dict[object, int] = {"Diagnostic": _DIAGNOSTIC_CODE_INDEX}
    changed = True
    while changed:  # a helper that forwards its `code` parameter to a sink is a sink too
        changed = False
        for call, caller, _, target in calls:
            if target not in sinks or caller is None or caller in sinks:
                continue
            arg = _code_arg(call, sinks[target])
            if isinstance(arg, ast.Name) and arg.id in caller.params:
                sinks[caller] = caller.params.index(arg.id)
                changed = True

    result = Scan()
    for call, caller, m, target in calls:
        if target not in sinks:
            continue
        where = f"{m.name}:{call.lineno}"
        arg = _code_arg(call, sinks[target])
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            result.add(arg.value, where)
        elif isinstance(arg, ast.Attribute) and arg.attr == "code":
            pass  # a copy of another diagnostic, counted where that one is made
        elif isinstance(arg, ast.Name) and caller is not None and arg.id in caller.params:
            pass  # a forwarding helper; its callers are scanned
        elif isinstance(arg, ast.Name) and caller and _tuple_sources(caller.node, arg.id):
            for source in _tuple_sources(caller.node, arg.id):
                _returned_codes(_resolve(source, caller, m, all_defs), result, where)
        else:
            result.unreadable.append(where)
    return result


def _returned_codes(source: object, result: Scan, where: str) -> None:
    """Codes as the first item of the tuples a function returns: `return "code", message`."""
    if not isinstance(source, _Def):
        result.unreadable.append(where)
        return
    found = False
    for node in ast.walk(source.node):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
            first = node.value.elts[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                result.add(first.value, f"{source.module}:{node.lineno}")
                found = True
            else:
                result.unreadable.append(f"{source.module}:{node.lineno}")
    if not found:
        result.unreadable.append(where)
