"""Every error code the app raises has its own translated sentence in app/ui/messages.py.

An error whose code has no entry reaches the user as the plain English fallback of
``DomainError.message`` (app/ui/messages.py ``text_for``), whatever their language. The
codes are collected from the source with ``ast``:

- the first argument (or ``code=``) of a call to ``DomainError`` or any subclass of it
  defined in ``app/`` (ValidationError excepted: it shows the codes of its FieldErrors);
- the class-level ``code = "..."`` of a subclass that is raised without a code;
- the code of ``FieldError(field, code, ...)`` and of the importer's
  ``RowProblem(row, column, code, ...)`` (``CARRIERS``);
- the code a helper passes on: a function that builds or raises the error from one of
  its parameters, e.g. ``_refuse(code, ...)`` in the importer: every call of that
  function (by its name) with a literal there;
- a code given through a local variable of the same function (``code = "a" if x else
  "b"``, then ``DomainError(code, ...)``): every string literal assigned to it.

Not seen: a code computed at run time (f-strings, concatenation, a code read from a
table or from another module's variable, ``exc.code`` passed on) and an error class
defined outside ``app/``. F-string codes are listed in ``PREFIXES`` with the place that
shows them; a new one makes the test fail until it is listed.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
MESSAGES = APP / "ui" / "messages.py"

# records that carry a message code besides the errors: class -> position of the code
CARRIERS = {
    "FieldError": 1,  # FieldError(field, code, message, values)
    "RowProblem": 2,  # the importer's row problems: RowProblem(row, column, code, value)
}

# f-string codes -> the file that turns them into the user's words itself
PREFIXES = {
    "complaint.missing.": "ui/complaint_dialog.py",  # lists the missing steps to close
}


def _modules() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8"), str(p))
            for p in sorted(APP.rglob("*.py")) if "migrations" not in p.parts}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _error_classes(modules) -> dict[str, str | None]:
    """Every DomainError subclass in app/: name -> its class-level code (or inherited)."""
    classes: dict[str, tuple[list[str], str | None]] = {}
    for tree in modules.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                code = next((s.value.value for s in node.body
                             if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)
                             and any(isinstance(t, ast.Name) and t.id == "code"
                                     for t in s.targets)), None)
                classes[node.name] = ([_name(b) for b in node.bases], code)
    known: dict[str, str | None] = {"DomainError": classes["DomainError"][1]}
    grew = True
    while grew:
        grew = False
        for name, (bases, code) in classes.items():
            parent = next((b for b in bases if b in known), None)
            if name not in known and parent is not None:
                known[name] = code if code is not None else known[parent]
                grew = True
    return known


def _strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _enclosing_functions(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _code_arg(call: ast.Call, position: int) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == "code":
            return kw.value
    return call.args[position] if len(call.args) > position else None


class _Found:
    def __init__(self) -> None:
        self.codes: dict[str, str] = {}  # code -> where it is raised (first place)
        self.prefixes: dict[str, str] = {}
        self.unseen: list[str] = []

    def add(self, code: str, where: str) -> None:
        self.codes.setdefault(code, where)


def _resolve(arg: ast.expr, func: ast.AST | None, where: str, found: _Found,
             params: set[str] = frozenset()) -> None:
    """Record the code(s) ``arg`` can be."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        found.add(arg.value, where)
    elif isinstance(arg, ast.IfExp):
        _resolve(arg.body, func, where, found, params)
        _resolve(arg.orelse, func, where, found, params)
    elif isinstance(arg, ast.JoinedStr):
        head = arg.values[0]
        prefix = head.value if isinstance(head, ast.Constant) else ""
        found.prefixes.setdefault(prefix, where)
    elif isinstance(arg, ast.Name) and arg.id in params:
        pass  # a helper's parameter: its callers give the code
    elif isinstance(arg, ast.Name) and func is not None:
        values = [n.value for n in ast.walk(func)
                  if isinstance(n, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == arg.id for t in n.targets)]
        if not values:
            found.unseen.append(f"{where}: {ast.unparse(arg)}")
        for v in values:
            _resolve(v, func, where, found, params)
    elif isinstance(arg, ast.Attribute) and arg.attr == "code":
        pass  # an error passed on (exc.code): its code is collected where it is raised
    else:
        found.unseen.append(f"{where}: {ast.unparse(arg)}")


@functools.cache
def _app_codes() -> _Found:
    """The codes of app/ as its files are now: read once for the tests below (a read
    walks every function several times, ~10 s)."""
    return collect_codes(_modules())


def collect_codes(modules: dict[Path, ast.Module] | None = None) -> _Found:
    if modules is None:
        return _app_codes()
    classes = _error_classes(modules)
    found = _Found()
    # helpers: a function that builds or raises the error from one of its parameters
    # (``_refuse(code, ...)`` in the importer), and any function passing its own
    # parameter on to such a helper: name -> position of the code parameter
    helpers: dict[str, int] = {}
    grew = True
    while grew:
        grew = False
        for tree in modules.values():
            for fn in _enclosing_functions(tree):
                params = [a.arg for a in fn.args.args]
                for call in ast.walk(fn):
                    if not isinstance(call, ast.Call) or fn.name in helpers:
                        continue
                    name = _name(call.func)
                    if name in CARRIERS:
                        arg = _code_arg(call, CARRIERS[name])
                    elif name in classes and name != "ValidationError":
                        arg = _code_arg(call, 0)
                    elif name in helpers:
                        arg = _code_arg(call, helpers[name])
                    else:
                        continue
                    if isinstance(arg, ast.Name) and arg.id in params:
                        helpers[fn.name] = params.index(arg.id)
                        grew = True
    for path, tree in modules.items():
        rel = path.relative_to(APP.parent) if path.is_relative_to(APP.parent) else path
        parents: dict[ast.AST, ast.AST] = {}
        for fn in _enclosing_functions(tree):
            for n in ast.walk(fn):
                parents.setdefault(n, fn)
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = _name(call.func)
            where = f"{rel}:{call.lineno}"
            fn = parents.get(call)
            params = {a.arg for a in fn.args.args} if fn is not None else set()
            if name in CARRIERS:
                arg = _code_arg(call, CARRIERS[name])
            elif name in classes and name != "ValidationError":
                arg = _code_arg(call, 0)
                if arg is None or (isinstance(arg, ast.Constant) and arg.value is None):
                    found.add(classes[name], where)  # raised with its class's code
                    continue
            elif name in helpers:
                arg = _code_arg(call, helpers[name])
            else:
                continue
            if arg is not None:
                _resolve(arg, fn, where, found, params)
    return found


def message_codes() -> set[str]:
    """The keys of the table in messages._texts(), read from its source."""
    tree = ast.parse(MESSAGES.read_text(encoding="utf-8"))
    fn = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "_texts")
    table = next(n for n in ast.walk(fn) if isinstance(n, ast.Dict))
    return {k.value for k in table.keys if isinstance(k, ast.Constant)}


def test_the_collector_sees_the_known_forms():
    found = collect_codes()
    assert "db.damaged" in found.codes  # DatabaseOpenError("db.damaged", ...) in a helper
    assert "task.closed_day" in found.codes  # ClosedDayError raised with its class code
    assert "import.empty" in found.codes  # _refuse("import.empty", ...), the importer's helper
    assert "name.required" in found.codes  # FieldError("name", "name.required", ...)
    assert "db.locked_write" in found.codes  # write_error() in app/db.py
    assert len(found.codes) > 120


_SAMPLE = '''
class DomainError(Exception):
    code = "error"

class ShelfError(DomainError):
    code = "shelf.full"

def _fail(code, why):
    return DomainError(code, why)

def _fail_again(path, code):
    raise _fail(code, str(path))

def put(n):
    if n > 9:
        raise ShelfError()
    code = "shelf.odd" if n % 2 else "shelf.even"
    if n < 0:
        raise DomainError(code, "negative")
    _fail_again("x", "shelf.passed_on")
    raise DomainError(f"shelf.size.{n}")
'''


def test_the_collector_follows_variables_helpers_and_class_codes():
    found = collect_codes({Path("sample.py"): ast.parse(_SAMPLE)})
    assert set(found.codes) == {"shelf.full", "shelf.odd", "shelf.even", "shelf.passed_on"}
    assert set(found.prefixes) == {"shelf.size."}
    assert found.unseen == []


def test_every_raised_code_has_a_translated_message():
    found = collect_codes()
    known = message_codes()
    missing = sorted(f"{code} (raised at {where})" for code, where in found.codes.items()
                     if code not in known)
    assert not missing, "codes without a sentence in app/ui/messages.py:\n" + "\n".join(missing)


def test_every_code_built_at_run_time_is_shown_by_its_own_screen():
    found = collect_codes()
    assert set(found.prefixes) == set(PREFIXES), found.prefixes
    for prefix, shown_in in PREFIXES.items():
        assert prefix in (APP / shown_in).read_text(encoding="utf-8")
    assert not found.unseen, "codes the test cannot read:\n" + "\n".join(found.unseen)


def test_every_message_is_a_code_that_is_raised():
    # a sentence for a code nobody raises is a left-over or a misspelt code
    found = collect_codes()
    unused = message_codes() - set(found.codes)
    assert not unused, sorted(unused)
