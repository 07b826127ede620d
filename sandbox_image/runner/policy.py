"""What a student's program may use, and the limits it runs under.

Standard library only: this module is loaded by the zygote, which runs with `python -I -S`.
"""

from dataclasses import asdict, dataclass

#: modules a student's program may import; the zygote loads them all before it forks
ALLOWED_MODULES: frozenset[str] = frozenset(
    {
        "abc",
        "array",
        "base64",
        "binascii",
        "bisect",
        "calendar",
        "cmath",
        "collections",
        "contextlib",
        "copy",
        "csv",
        "dataclasses",
        "datetime",
        "decimal",
        "difflib",
        "enum",
        "fractions",
        "functools",
        "graphlib",
        "hashlib",
        "heapq",
        "io",
        "itertools",
        "json",
        "math",
        "numbers",
        "operator",
        "pathlib",
        "pprint",
        "queue",
        "random",
        "re",
        "statistics",
        "string",
        "struct",
        "sys",
        "textwrap",
        "threading",
        "time",
        "typing",
        "unicodedata",
        "uuid",
        "zlib",
    }
)

#: why a well-known module is refused, in words a student understands
BLOCKED_MODULE_REASONS: dict[str, str] = {
    "os": "it reaches the operating system",
    "posix": "it reaches the operating system",
    "subprocess": "it starts other programs",
    "multiprocessing": "it starts other programs",
    "socket": "the sandbox has no network",
    "urllib": "the sandbox has no network",
    "http": "the sandbox has no network",
    "ctypes": "it reaches memory and the operating system directly",
    "importlib": "it loads code around the sandbox's checks",
    "builtins": "it changes Python itself",
    "gc": "it reaches the interpreter's internals",
    "inspect": "it reaches the interpreter's internals",
    "signal": "it changes how the sandbox stops programs",
    "shutil": "it manages files outside your program's folder",
    "pickle": "it can run arbitrary code",
    "marshal": "it can run arbitrary code",
    "types": "it builds code objects around the sandbox's checks",
}

#: builtins a student's program may not call
FORBIDDEN_BUILTINS: frozenset[str] = frozenset(
    {
        "eval",
        "exec",
        "compile",
        "__import__",
        "globals",
        "locals",
        "vars",
        "breakpoint",
        "help",
        "__builtins__",
        "__loader__",
        "__spec__",
    }
)

#: attributes that lead out of the sandbox: interpreter internals and modules exposed by other modules
FORBIDDEN_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "__subclasses__",
        "__globals__",
        "__builtins__",
        "__code__",
        "__closure__",
        "__bases__",
        "__base__",
        "__mro__",
        "__dict__",
        "__getattribute__",
        "__loader__",
        "__spec__",
        "__self__",
        "__func__",
        "__reduce__",
        "__reduce_ex__",
        "__import__",
        "__traceback__",
        "__setattr__",
        "__delattr__",
        "__init_subclass__",
        "__class_getitem__",
        "mro",
        "tb_frame",
        "tb_next",
        "f_back",
        "f_globals",
        "f_locals",
        "f_builtins",
        "f_code",
        "gi_frame",
        "gi_code",
        "cr_frame",
        "cr_code",
        "ag_frame",
        "ag_code",
        "co_code",
        "attrgetter",
        "methodcaller",
        "get_field",
        "modules",
        "_getframe",
        "_current_frames",
        "_os",
        "_sys",
        "_posixsubprocess",
        "_thread",
        "os",
        "sys",
        "posix",
        "subprocess",
        "builtins",
        "importlib",
        "inspect",
        "ctypes",
        "socket",
        "gc",
        "types",
        "signal",
        "_io",
        "io_open",
    }
)

RECURSION_LIMIT_CAP = 10_000


@dataclass(frozen=True)
class Limits:
    """One run's limits; `memory_bytes` is what the program may allocate beyond the interpreter."""

    wall_seconds: float = 5.0
    cpu_seconds: int = 6  # a backstop: the 5 s wall clock stops a busy program first
    memory_bytes: int = 50 * 1024 * 1024
    output_bytes: int = 64 * 1024
    file_bytes: int = 1024 * 1024
    written_files: int = 32
    tmp_bytes: int = 16 * 1024 * 1024
    open_files: int = 64
    processes: int = 64
    test_output_bytes: int = 4 * 1024
    stdin_bytes: int = 64 * 1024

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def module_reason(name: str) -> str:
    return BLOCKED_MODULE_REASONS.get(name.partition(".")[0], "the sandbox offers only safe standard modules")
