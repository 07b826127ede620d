""".env.example lists every environment variable the code and the Makefile read, and nothing else.

The variables are discovered from the code, not from a list kept by hand:

- the pydantic-settings classes: every subclass of BaseSettings defined in the repository (the
  shared layer's parts and the functions' own compositions), with the env names pydantic-settings
  itself derives for each field (prefixes and aliases included);
- direct reads of the environment anywhere in the code (`os.environ.get(...)`, `os.environ[...]`,
  `os.getenv(...)`, a name bound to `os.environ` such as `env.get(...)`, `"X" in os.environ`, and
  typer options with `envvar=`), their argument resolved through string constants, tuples of them
  and the loops over those tuples, also across `from module import CONSTANT`;
- the Makefile's `VAR ?= ...` lines (make takes them from the environment too).
"""

import ast
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings, EnvSettingsSource

from learnflow.settings import SettingsError
from tests.conftest import REPO_ROOT
from tests.contract.handler_loading import imported_handlers

ENV_EXAMPLE = REPO_ROOT / ".env.example"
MAKEFILE = REPO_ROOT / "Makefile"
#: the code's roots and the package each is imported as
CODE_ROOTS: dict[Path, str] = {
    REPO_ROOT / "layers/shared/python/learnflow": "learnflow",
    REPO_ROOT / "functions": "functions",
    REPO_ROOT / "localcloud": "localcloud",
    REPO_ROOT / "sandbox_image": "sandbox_image",
    REPO_ROOT / "infra": "infra",
}

#: Read by the code but set by the operating system, AWS Lambda or a tool, never by a developer:
#: they have no line in .env.example (its header says so).
NOT_SETTINGS = frozenset(
    {
        # the operating system's; the local cloud passes them on to each function's environment
        "HOME",
        "TZ",
        "LANG",
        # set by coverage under `make test`, so that the function workers are measured too
        "COVERAGE_PROCESS_CONFIG",
        # set by Lambda in every function (the local cloud sets it too); KafkaSettings signs MSK IAM with it
        "AWS_REGION",
    }
)
#: prefixes of what AWS Lambda and Powertools read and the runtime (or the local cloud) sets
NOT_SETTINGS_PREFIXES = ("AWS_LAMBDA_", "POWERTOOLS_")

_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
#: an active (`NAME=value`) or commented-out (`# NAME=value`) variable line of .env.example
_ENV_LINE = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")
_MAKE_DEFAULT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*\?=", re.MULTILINE)
_ENVIRON_METHODS = frozenset({"get", "pop", "setdefault"})


def _excluded(name: str) -> bool:
    return name in NOT_SETTINGS or name.startswith(NOT_SETTINGS_PREFIXES)


# --- .env.example ---------------------------------------------------------------------------


def env_example_lines() -> dict[str, str]:
    """Each variable of .env.example and the comment line just above it (its meaning)."""
    found: dict[str, str] = {}
    previous = ""
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = _ENV_LINE.match(line.strip())
        if match:
            name = match[2]
            assert name not in found, f".env.example lists {name} twice"
            found[name] = previous
        previous = line.strip()
    return found


# --- the Makefile ---------------------------------------------------------------------------


def makefile_variables(text: str) -> set[str]:
    return set(_MAKE_DEFAULT.findall(text))


# --- pydantic-settings classes --------------------------------------------------------------


def _modules(root: Path, package: str) -> Iterator[tuple[str, Path]]:
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join((package, *parts)), path


def _code_modules() -> Iterator[tuple[str, Path]]:
    for root, package in CODE_ROOTS.items():
        yield from _modules(root, package)


def settings_class_names_in_source() -> dict[str, set[str]]:
    """Modules defining a class on a base named like a settings class, and those classes' names."""
    found: dict[str, set[str]] = {}
    for module, path in _code_modules():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ClassDef) and any(
                ast.unparse(base).split(".")[-1].endswith(("Settings", "_Base")) for base in node.bases
            ):
                found.setdefault(module, set()).add(node.name)
    return found


def _subclasses(cls: type) -> Iterator[type]:
    subclasses: list[type] = cls.__subclasses__()
    for sub in subclasses:
        yield sub
        yield from _subclasses(sub)


def settings_classes() -> list[type[BaseSettings]]:
    """Every BaseSettings subclass of the repository, its modules imported (handlers as the tests do)."""
    in_source = settings_class_names_in_source()
    handlers = sorted(m.split(".")[1] for m in in_source if re.fullmatch(r"functions\.\w+\.handler", m))
    try:
        with imported_handlers(*handlers):
            for module in in_source:
                importlib.import_module(module)
    except SettingsError as invalid:
        pytest.fail(
            f"the handlers do not import with the settings of tests/contract/handler_loading.py ({invalid}): "
            "give a new required setting a value there, and a line in .env.example"
        )
    packages = tuple(f"{package}." for package in CODE_ROOTS.values())
    classes = {
        cls
        for cls in _subclasses(BaseSettings)
        if cls.__module__.startswith(packages) or cls.__module__ in CODE_ROOTS.values()
    }
    imported = {(cls.__module__, cls.__name__) for cls in classes}
    missing = {(module, name) for module, names in in_source.items() for name in names} - imported
    # a class named like a settings class that is none would show up here: then narrow the source scan
    assert missing == set(), f"settings classes in the source that were not found by importing: {missing}"
    return sorted(classes, key=lambda cls: (cls.__module__, cls.__name__))


def settings_env_names(cls: type[BaseSettings]) -> set[str]:
    """The environment variables pydantic-settings reads for the class's fields.

    Its own EnvSettingsSource derives them, so env_prefix, aliases, AliasChoices and case
    sensitivity are applied exactly as when the settings are loaded.
    """
    source = EnvSettingsSource(cls)
    case_sensitive = bool(cls.model_config.get("case_sensitive", False))
    names = set()
    for field_name, info in cls.model_fields.items():
        for _, env_name, _ in source._extract_field_info(info, field_name):
            names.add(env_name if case_sensitive else env_name.upper())
    return names


# --- direct reads of the environment --------------------------------------------------------


#: the local cloud reads the environment it was started in through these (localcloud/config.py)
HOST_READERS_MODULE = REPO_ROOT / "localcloud" / "config.py"
_HOST_READERS = frozenset({"host_variable", "host_variables"})
#: `tunables(SomeSettings, ...)` names settings fields, which the settings classes' scan already lists
_SETTINGS_FIELD_NAMES = "tunables"


@dataclass
class EnvironmentReads:
    names: set[str] = field(default_factory=set)
    #: reads whose variable name could not be worked out (file:line and the expression)
    unresolved: list[str] = field(default_factory=list)


def _string_values(node: ast.expr | None) -> list[str] | None:
    """The strings of a literal string or tuple/list/set of strings, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        values = [_string_values(element) for element in node.elts]
        if all(value is not None and len(value) == 1 for value in values):
            return [value[0] for value in values if value]
    return None


def _calls(node: ast.expr | None, function: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == function


class _ModuleScan(ast.NodeVisitor):
    """Finds the environment variables one module reads."""

    def __init__(self, path: Path, tree: ast.Module, constants_of: dict[str, dict[str, list[str]]]) -> None:
        self.path = path
        self.reads = EnvironmentReads()
        self.constants: dict[str, list[str]] = {}
        self.os_names = {"os"}
        #: names bound to os.environ: `env = os.environ`, `from os import environ`
        self.environ_names: set[str] = set()
        self.getenv_names: set[str] = set()
        self.loop_sources: dict[str, list[ast.expr]] = {}  # loop variable -> what it iterates over
        for statement in tree.body:
            self._learn_constants(statement, constants_of)
        for walked in ast.walk(tree):
            self._learn_names(walked)
        for assigned in ast.walk(tree):
            if isinstance(assigned, ast.Assign) and self.is_environ(assigned.value):
                self.environ_names |= {t.id for t in assigned.targets if isinstance(t, ast.Name)}

    def _learn_constants(self, statement: ast.stmt, constants_of: dict[str, dict[str, list[str]]]) -> None:
        """String constants bound at module level, here or in a module this one imports them from."""
        if isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            strings = _string_values(statement.value)
            if _calls(statement.value, _SETTINGS_FIELD_NAMES):
                strings = []
            if strings is not None:
                self.constants |= {target.id: strings for target in targets if isinstance(target, ast.Name)}
        if isinstance(statement, ast.ImportFrom) and statement.module in constants_of:
            for alias in statement.names:
                imported = constants_of[statement.module].get(alias.name)
                if imported is not None:
                    self.constants[alias.asname or alias.name] = imported

    def _learn_names(self, walked: ast.AST) -> None:
        """The names `os`, `os.environ` and `os.getenv` go by here, and what loop variables iterate."""
        if isinstance(walked, ast.Import):
            self.os_names |= {a.asname or a.name for a in walked.names if a.name == "os"}
        elif isinstance(walked, ast.ImportFrom) and walked.module == "os":
            self.environ_names |= {a.asname or a.name for a in walked.names if a.name == "environ"}
            self.getenv_names |= {a.asname or a.name for a in walked.names if a.name == "getenv"}
        elif isinstance(walked, ast.comprehension | ast.For) and isinstance(walked.target, ast.Name):
            self.loop_sources.setdefault(walked.target.id, []).append(walked.iter)

    def is_environ(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.environ_names
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "environ"
            and isinstance(node.value, ast.Name)
            and node.value.id in self.os_names
        )

    def resolve(self, node: ast.expr, seen: frozenset[str] = frozenset()) -> list[str] | None:
        strings = _string_values(node)
        if strings is not None:
            return strings
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.resolve(node.left, seen), self.resolve(node.right, seen)
            return None if left is None or right is None else left + right
        if isinstance(node, ast.Name) and node.id not in seen:
            if node.id in self.constants:
                return self.constants[node.id]
            if node.id in self.loop_sources:
                resolved: list[str] = []
                for source in self.loop_sources[node.id]:
                    values = self.resolve(source, seen | {node.id})
                    if values is None:
                        return None
                    resolved += values
                return resolved
        return None

    def read(self, node: ast.AST, argument: ast.expr) -> None:
        values = self.resolve(argument)
        if values is None:
            shown = self.path.relative_to(REPO_ROOT) if self.path.is_relative_to(REPO_ROOT) else self.path
            where = f"{shown}:{getattr(node, 'lineno', '?')}"
            self.reads.unresolved.append(f"{where}: {ast.unparse(node)}")
        else:
            self.reads.names.update(values)

    def reads_by_name(self, function: ast.expr) -> bool:
        """`os.environ.get`, `env.pop`, `os.getenv`, `getenv`, the local cloud's `host_variable`...: the
        first argument is a variable's name (or, for `host_variables`, a collection of names)."""
        if isinstance(function, ast.Name):
            return function.id in self.getenv_names or function.id in _HOST_READERS
        if not isinstance(function, ast.Attribute):
            return False
        if function.attr in _ENVIRON_METHODS and self.is_environ(function.value):
            return True
        return (
            function.attr == "getenv"
            and isinstance(function.value, ast.Name)
            and function.value.id in self.os_names
        )

    def visit_Call(self, node: ast.Call) -> None:
        if node.args and self.reads_by_name(node.func):
            self.read(node, node.args[0])
        for keyword in node.keywords:
            if keyword.arg == "envvar":  # typer and click options read the variable themselves
                self.read(node, keyword.value)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if self.path == HOST_READERS_MODULE and node.name in _HOST_READERS:
            return  # the indirection itself: its callers name the variables
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Load) and self.is_environ(node.value):
            self.read(node, node.slice)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        for operator, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(operator, ast.In | ast.NotIn) and self.is_environ(right):
                self.read(node, node.left)
        self.generic_visit(node)


def environment_reads(modules: list[tuple[str, Path]]) -> EnvironmentReads:
    trees = {module: (path, ast.parse(path.read_text(), str(path))) for module, path in modules}
    # first every module's own string constants, so that `from x import NAME` resolves across modules
    constants_of = {module: _ModuleScan(path, tree, {}).constants for module, (path, tree) in trees.items()}
    reads = EnvironmentReads()
    for path, tree in trees.values():
        scan = _ModuleScan(path, tree, constants_of)
        scan.visit(tree)
        reads.names |= scan.reads.names
        reads.unresolved += scan.reads.unresolved
    return reads


# --- the tests ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def settings_names() -> set[str]:
    return {name for cls in settings_classes() for name in settings_env_names(cls)}


@pytest.fixture(scope="module")
def direct_reads() -> EnvironmentReads:
    return environment_reads(list(_code_modules()))


@pytest.fixture(scope="module")
def read_by_the_code(settings_names: set[str], direct_reads: EnvironmentReads) -> set[str]:
    every = settings_names | direct_reads.names | makefile_variables(MAKEFILE.read_text())
    return {name for name in every if not _excluded(name)}


def test_every_read_of_the_environment_names_its_variable(direct_reads: EnvironmentReads) -> None:
    assert direct_reads.unresolved == [], (
        "these reads of the environment name their variable in a way this test cannot follow; "
        "use a string constant (or teach the scan the new way)"
    )


def test_every_variable_the_code_reads_has_a_line_in_env_example(read_by_the_code: set[str]) -> None:
    missing = sorted(read_by_the_code - set(env_example_lines()))
    assert missing == [], f"add these to .env.example, with their default and meaning: {missing}"


def test_every_line_of_env_example_is_read_by_the_code(read_by_the_code: set[str]) -> None:
    unknown = sorted(set(env_example_lines()) - read_by_the_code)
    assert unknown == [], f".env.example lists variables nothing reads: {unknown}"


def test_each_variable_of_env_example_has_a_meaning() -> None:
    # the line above a variable is its meaning: a comment with words, not another variable's line
    without = sorted(
        name
        for name, above in env_example_lines().items()
        if not re.match(r"^#\s*\S", above) or _ENV_LINE.match(above)
    )
    assert without == [], f"these variables have no one-line meaning above them: {without}"


def test_the_exclusions_are_still_read_by_the_code(
    settings_names: set[str], direct_reads: EnvironmentReads
) -> None:
    stale = sorted(NOT_SETTINGS - settings_names - direct_reads.names)
    assert stale == [], f"NOT_SETTINGS names variables the code no longer reads: {stale}"


def test_nothing_loads_a_dotenv_file_so_env_example_says_how_to_use_it() -> None:
    loaders = [
        f"{path.relative_to(REPO_ROOT)}"
        for _, path in _code_modules()
        if re.search(r"\bdotenv\b|env_file\s*=", path.read_text())
    ]
    if loaders:
        pytest.fail(f"{loaders} load a .env file: update the header of .env.example, then this test")
    assert "set -a; . ./.env; set +a" in ENV_EXAMPLE.read_text()


# --- the discovery itself ---------------------------------------------------------------------


def test_the_scan_finds_each_way_the_code_reads_the_environment(tmp_path: Path) -> None:
    (tmp_path / "names.py").write_text('SHARED_SETTING = "FROM_ANOTHER_MODULE"\n')
    (tmp_path / "reader.py").write_text(
        "import os\n"
        "from os import environ as env_alias, getenv\n"
        "from names import SHARED_SETTING\n"
        'PORT_ENV = "A_PORT"\n'
        '_PASSED = ("PASSED_ONE", "PASSED_TWO")\n'
        "def f(unknown: str) -> None:\n"
        "    env = os.environ\n"
        '    env.get("VIA_ALIAS", "1")\n'
        "    os.environ.get(PORT_ENV)\n"
        "    os.environ[SHARED_SETTING]\n"
        '    getenv("VIA_GETENV")\n'
        '    env_alias.pop("VIA_IMPORT", None)\n'
        '    "CHECKED" in os.environ\n'
        "    {name: os.environ[name] for name in _PASSED if os.environ.get(name)}\n"
        '    os.environ["WRITTEN"] = "not a read"\n'
        '    typer.Option(envvar="BY_TYPER")\n'
        "    os.environ.get(unknown)\n"
    )
    reads = environment_reads([("names", tmp_path / "names.py"), ("reader", tmp_path / "reader.py")])
    assert reads.names == {
        "VIA_ALIAS",
        "A_PORT",
        "FROM_ANOTHER_MODULE",
        "VIA_GETENV",
        "VIA_IMPORT",
        "CHECKED",
        "PASSED_ONE",
        "PASSED_TWO",
        "BY_TYPER",
    }
    assert len(reads.unresolved) == 1 and "os.environ.get(unknown)" in reads.unresolved[0]


def test_env_names_follow_prefixes_and_aliases() -> None:
    from pydantic import AliasChoices, Field
    from pydantic_settings import SettingsConfigDict

    class Prefixed(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="learnflow_")

        port: int = 1
        aliased: str = Field(default="", validation_alias=AliasChoices("FIRST_NAME", "second_name"))

    # (defined in this test module, so the walk over the repository's settings classes leaves it out)
    assert settings_env_names(Prefixed) == {"LEARNFLOW_PORT", "FIRST_NAME", "SECOND_NAME"}


def test_the_makefile_defaults_are_found() -> None:
    text = "STAGE ?= dev\nDEVELOPER ?=\nVENV := .venv\nCDK_ARGS ?=\n"
    assert makefile_variables(text) == {"STAGE", "DEVELOPER", "CDK_ARGS"}


def test_settings_classes_include_the_functions_own(settings_names: set[str]) -> None:
    # AuthSettings (functions/auth_api) and OutboxRelaySettings add fields of their own
    assert {"LOGIN_WINDOW_SECONDS", "OUTBOX_SETTLE_SECONDS", "DATABASE_URL"} <= settings_names
