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
        self.tree = tree
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
        # A method of that name which cannot take these arguments is some other
        # object's: `seen.add(key)` is a set's, not `add(severity, code, path, message)`.
        methods = [
            d for d in all_defs if d.is_method and d.node.name == func.attr and _fits(call, d)
        ]
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


def _fits(call: ast.Call, d: _Def) -> bool:
    """Whether `call` passes as many arguments as `d` needs and can take."""
    if any(isinstance(a, ast.Starred) for a in call.args) or d.node.args.vararg:
        return True
    required = len(d.params) - len(d.node.args.defaults)
    given = len(call.args) + sum(1 for kw in call.keywords if kw.arg in d.params)
    return required <= given <= len(d.params)


def _loop_sources(fn: ast.FunctionDef, name: str) -> list[tuple[int, ast.expr]]:
    """Where `name` is item i of a `for` loop's tuples: (i, what the loop runs over)."""
    out = []
    for node in ast.walk(fn):
        if isinstance(node, ast.For) and isinstance(node.target, ast.Tuple):
            for i, elt in enumerate(node.target.elts):
                if isinstance(elt, ast.Name) and elt.id == name:
                    out.append((i, node.iter))
    return out


def _handler_table(iterable: ast.expr, fn: ast.FunctionDef) -> str | None:
    """`TABLE` in `gaps = list(TABLE[key](...))` … `for … in gaps`, or None."""
    source: ast.expr | None = iterable
    if isinstance(source, ast.Name):
        name = source.id
        assigned = [
            n.value
            for n in ast.walk(fn)
            if isinstance(n, ast.Assign)
            and isinstance(n.targets[0], ast.Name)
            and n.targets[0].id == name
        ]
        source = assigned[0] if len(assigned) == 1 else None
    if isinstance(source, ast.Call) and isinstance(source.func, ast.Name) and source.args:
        source = source.args[0] if source.func.id == "list" else source
    if (
        isinstance(source, ast.Call)
        and isinstance(source.func, ast.Subscript)
        and isinstance(source.func.value, ast.Name)
    ):
        return source.func.value.id
    return None


def _yielded_codes(index: int, iterable: ast.expr, caller: _Def, m: _Module, result: Scan) -> bool:
    """Codes as item `index` of the tuples that a module-level dict's generators yield."""
    table = _handler_table(iterable, caller.node)
    values: list[ast.expr] = []
    for n in m.tree.body:
        target = n.target if isinstance(n, ast.AnnAssign) else None
        if isinstance(n, ast.Assign) and len(n.targets) == 1:
            target = n.targets[0]
        if isinstance(target, ast.Name) and target.id == table:
            value = n.value if isinstance(n, (ast.Assign, ast.AnnAssign)) else None
            if isinstance(value, ast.Dict):
                values = [v for v in value.values if v is not None]
    names = {v.id for v in values if isinstance(v, ast.Name)}
    if not values or len(names) != len(set(map(ast.dump, values))):
        return False
    for name in sorted(names):
        fn = next((d for d in m.defs if d.node.name == name and not d.scope), None)
        if fn is None:
            return False
        for node in ast.walk(fn.node):
            if isinstance(node, ast.Yield) and isinstance(node.value, ast.Tuple):
                item = node.value.elts[index] if index < len(node.value.elts) else None
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    result.add(item.value, f"{m.name}:{node.lineno}")
                else:
                    result.unreadable.append(f"{m.name}:{node.lineno}")
    return True


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
        elif isinstance(arg, ast.Name) and caller and _loop_sources(caller.node, arg.id):
            for i, iterable in _loop_sources(caller.node, arg.id):
                if not _yielded_codes(i, iterable, caller, m, result):
                    result.unreadable.append(where)
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
