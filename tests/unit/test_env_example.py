""".env.example lists every environment variable the code reads, with its default and meaning.

The code is scanned (AST) for `os.environ.get(...)`, `os.environ[...]`, `os.getenv(...)` and
`<name>.env.get(...)` (Settings.env and aliases of os.environ). A name given as a constant is
resolved within its module (or the module it is imported from); a name passed in as a function
parameter is resolved at that function's call sites in the same module. A read whose name cannot be
resolved fails the test with its location, so no read slips through unlisted.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("bot", "actions", "tools", "tests")
ENV_EXAMPLE = ROOT / ".env.example"
# Variables Rasa, TensorFlow or SQLAlchemy read themselves and the project sets on purpose.
THIRD_PARTY_LISTED = (
    "TICKET_LOCK_LIFETIME",
    "RASA_TELEMETRY_ENABLED",
    "TF_CPP_MIN_LOG_LEVEL",
    "SQLALCHEMY_WARN_20",
)


def _is_environ(node: ast.AST, aliases: set[str]) -> bool:
    """os.environ, environ, or a local alias of it (env = os.environ); also `<x>.env` (Settings.env)."""
    if isinstance(node, ast.Attribute) and node.attr in ("environ", "env"):
        return True
    return isinstance(node, ast.Name) and node.id in aliases | {"environ"}


def _reads(tree: ast.Module) -> list[tuple[ast.AST, ast.AST]]:
    """(name expression, node) of every environment read in a module."""
    aliases = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "environ"
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            func = node.func
            if func.attr == "get" and _is_environ(func.value, aliases):
                found.append((node.args[0], node))
            elif func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os":
                found.append((node.args[0], node))
        elif isinstance(node, ast.Subscript) and _is_environ(node.value, aliases):
            if isinstance(node.ctx, ast.Load):
                found.append((node.slice, node))
    return found


def _constants(tree: ast.Module) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _imported(tree: ast.Module) -> dict[str, tuple[str, str]]:
    found = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                found[alias.asname or alias.name] = (node.module, alias.name)
    return found


def _module_constant(module: str, name: str) -> str | None:
    path = ROOT / (module.replace(".", "/") + ".py")
    if not path.exists():
        return None
    return _constants(ast.parse(path.read_text(encoding="utf-8"))).get(name)


def _enclosing_function(tree: ast.Module, target: ast.AST) -> ast.FunctionDef | None:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(child is target for child in ast.walk(node)):
                inner = [
                    n for n in ast.walk(node)
                    if n is not node and isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and any(c is target for c in ast.walk(n))
                ]  # fmt: skip
                return inner[-1] if inner else node
    return None


def environment_reads() -> tuple[dict[str, list[str]], list[str]]:
    """{variable: [file:line, ...]} and the reads that could not be resolved."""
    names: dict[str, list[str]] = {}
    unresolved: list[str] = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.resolve() == Path(__file__).resolve():
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            constants, imported = _constants(tree), _imported(tree)
            for expression, node in _reads(tree):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                values: list[str] = []
                if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
                    values = [expression.value]
                elif isinstance(expression, ast.Name) and expression.id in constants:
                    values = [constants[expression.id]]
                elif isinstance(expression, ast.Name) and expression.id in imported:
                    value = _module_constant(*imported[expression.id])
                    values = [value] if value else []
                elif isinstance(expression, ast.Name):
                    values = _argument_values(tree, node, expression.id)
                if values:
                    for value in values:
                        names.setdefault(value, []).append(where)
                else:
                    unresolved.append(where)
    return names, unresolved


def _argument_values(tree: ast.Module, read: ast.AST, parameter: str) -> list[str]:
    """Constant arguments given for `parameter` wherever its function is called in the module."""
    function = _enclosing_function(tree, read)
    if function is None:
        return []
    params = [a.arg for a in function.args.args]
    if parameter not in params:
        return []
    index = params.index(parameter)
    values = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == function.name
        ):
            argument = next((k.value for k in node.keywords if k.arg == parameter), None)
            if argument is None and len(node.args) > index:
                argument = node.args[index]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                values.append(argument.value)
            else:
                return []  # one call we cannot read: the whole read is unresolved
    return values


def listed() -> dict[str, str]:
    """{variable: its line} of .env.example (set or commented out: `# NAME=value`)."""
    found = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]+)=", line)
        if match:
            found[match.group(1)] = line
    return found


def test_every_environment_variable_the_code_reads_is_in_env_example():
    reads, unresolved = environment_reads()
    assert unresolved == [], f"environment reads whose variable name cannot be told: {unresolved}"
    assert len(reads) > 20  # the scan sees the code (a broken scan would find nothing and pass)
    missing = {name: where for name, where in reads.items() if name not in listed()}
    assert missing == {}, f"add these to .env.example (with default and meaning): {missing}"


def test_every_variable_in_env_example_has_a_meaning_and_is_read_somewhere():
    reads, _ = environment_reads()
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    for name, line in listed().items():
        index = lines.index(line)
        assert index > 0 and lines[index - 1].startswith("# ") and len(lines[index - 1]) > 12, (
            f"{name}: put a line '# meaning (default ...)' above it"
        )
        assert name in reads or name in THIRD_PARTY_LISTED, f"{name} is listed but nothing reads it"
