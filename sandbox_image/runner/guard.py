"""Inside a run: the audit hook and the student's restricted builtins, for friendly refusals.

These turn what the sandbox refuses into a sentence a student understands. They are not the
walls: seccomp, rlimits, the privilege drop and the namespaces hold even when code gets past
them (the audit hook cannot see `_posixsubprocess.fork_exec`, for one).
"""

import builtins
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from sandbox_image.runner.policy import (
    ALLOWED_MODULES,
    FORBIDDEN_ATTRIBUTES,
    FORBIDDEN_BUILTINS,
    RECURSION_LIMIT_CAP,
    module_reason,
)

#: modules the standard library imports lazily on behalf of allowed ones
_INTERNAL_IMPORTS = frozenset({"encodings", "_strptime", "_pydecimal", "_pydatetime"})
#: what the teachers' tests (trusted, same process) import beside the student's module
_TEST_IMPORTS = frozenset({"unittest", "pytest"})
RUN_TMP = "/tmp"  # noqa: S108 - what a student calls their run's folder
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

NETWORK = "Your program tried to use the network, which the sandbox does not allow."
PROCESSES = "Your program tried to start another program or process, which the sandbox does not allow."
SIGNALS = "Your program tried to send a signal to another process, which the sandbox does not allow."
NATIVE = "Your program tried to call native code through ctypes, which the sandbox does not allow."

_EVENT_MESSAGES: dict[str, str] = {
    "os.system": PROCESSES,
    "os.exec": PROCESSES,
    "os.posix_spawn": PROCESSES,
    "os.spawn": PROCESSES,
    "os.fork": PROCESSES,
    "os.forkpty": PROCESSES,
    "subprocess.Popen": PROCESSES,
    "pty.spawn": PROCESSES,
    "os.kill": SIGNALS,
    "os.killpg": SIGNALS,
    "signal.pthread_kill": SIGNALS,
    "urllib.Request": NETWORK,
    "http.client.connect": NETWORK,
    "sys.addaudithook": "Your program tried to change the sandbox's audit hooks, which is not allowed.",
    "function.__new__": "Your program tried to build a function from raw code, which is not allowed.",
    "code.__new__": "Your program tried to build raw code objects, which is not allowed.",
    "marshal.loads": "Your program tried to load raw code with marshal, which is not allowed.",
    "pickle.find_class": "Your program tried to unpickle objects, which is not allowed.",
    "gc.get_objects": "Your program tried to walk the interpreter's objects, which is not allowed.",
    "gc.get_referrers": "Your program tried to walk the interpreter's objects, which is not allowed.",
    "gc.get_referents": "Your program tried to walk the interpreter's objects, which is not allowed.",
    "resource.setrlimit": "Your program tried to change its limits, which is not allowed.",
    "resource.prlimit": "Your program tried to change its limits, which is not allowed.",
    "os.symlink": "Your program tried to create a link, which the sandbox does not allow.",
    "os.link": "Your program tried to create a link, which the sandbox does not allow.",
}
_EVENT_PREFIXES: tuple[tuple[str, str], ...] = (
    ("socket.", NETWORK),
    ("ftplib.", NETWORK),
    ("smtplib.", NETWORK),
    ("poplib.", NETWORK),
    ("imaplib.", NETWORK),
    ("nntplib.", NETWORK),
    ("telnetlib.", NETWORK),
    ("webbrowser.", PROCESSES),
    ("ctypes.", NATIVE),
    ("shutil.", "Your program tried to manage files with shutil, which the sandbox does not allow."),
)
#: file-system events whose first argument is a path that must stay in the run's folder
_PATH_EVENTS = frozenset(
    {
        "os.chdir",
        "os.chmod",
        "os.chown",
        "os.mkdir",
        "os.remove",
        "os.rmdir",
        "os.truncate",
        "os.utime",
        "os.listdir",
        "os.scandir",
        "os.chflags",
        "os.setxattr",
        "os.removexattr",
    }
)


class SandboxViolationError(PermissionError):
    """Raised in the student's program for something the sandbox refuses."""


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


class Guard:
    """The audit hook of one run; it reports the first refusal and raises in the program."""

    def __init__(
        self,
        *,
        work_dir: str,
        readable_roots: Iterable[str],
        report: Callable[[str], None],
        extra_modules: Iterable[str] = (),
        written_files: int = 32,
    ) -> None:
        self.work_dir = os.path.realpath(work_dir)
        self.readable_roots = tuple(os.path.realpath(root) for root in readable_roots)
        self.allowed_imports = ALLOWED_MODULES | _INTERNAL_IMPORTS | _TEST_IMPORTS | frozenset(extra_modules)
        self._report = report
        self._writes_left = written_files
        self.violation: str | None = None

    def refuse(self, message: str) -> NoReturn:
        if self.violation is None:
            self.violation = message
            self._report(message)
        raise SandboxViolationError(message)

    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            self._check_open(args[0], args[1], args[2])
        elif event == "import":
            self._check_import(str(args[0]))
        elif event == "os.rename":
            self._check_path(event, args[0], write=True)
            self._check_path(event, args[1], write=True)
        elif event in _PATH_EVENTS:
            self._check_path(event, args[0], write=event not in ("os.listdir", "os.scandir", "os.chdir"))
        elif (message := _EVENT_MESSAGES.get(event)) is not None:
            self.refuse(message)
        else:
            for prefix, prefix_message in _EVENT_PREFIXES:
                if event.startswith(prefix):
                    self.refuse(prefix_message)

    def _resolve(self, path: object) -> str:
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, str):
            self.refuse("Your program tried to open a file by its descriptor number, which is not allowed.")
        return os.path.realpath(path)

    def _check_open(self, path: object, mode: object, flags: object) -> None:
        resolved = self._resolve(path)
        if isinstance(mode, str):
            writes = any(letter in mode for letter in "wax+")
        else:
            writes = isinstance(flags, int) and bool(flags & _WRITE_FLAGS)
        if _inside(resolved, self.work_dir):
            if writes:
                self._writes_left -= 1
                if self._writes_left < 0:
                    self.refuse("Your program tried to write more files than the sandbox allows.")
            return
        if writes:
            self.refuse(f"Your program tried to write {resolved}; only files in /tmp can be written.")
        if resolved in ("/dev/null", "/dev/urandom") or any(
            _inside(resolved, root) for root in self.readable_roots
        ):
            return
        self.refuse(f"Your program tried to read {resolved}, which is outside its own /tmp folder.")

    def _check_path(self, event: str, path: object, *, write: bool) -> None:
        if isinstance(path, int) and event in ("os.listdir", "os.scandir", "os.chdir"):
            self.refuse(
                "Your program tried to reach a folder by its descriptor number, which is not allowed."
            )
        resolved = self._resolve(path if path is not None else ".")
        if _inside(resolved, self.work_dir):
            return
        if write:
            self.refuse(f"Your program tried to change {resolved}; only files in /tmp can be changed.")
        self.refuse(f"Your program tried to look at {resolved}, which is outside its own /tmp folder.")

    def _check_import(self, name: str) -> None:
        top = name.partition(".")[0]
        if top not in self.allowed_imports:
            self.refuse(
                f"Your program tried to import {name}, which is not allowed in the sandbox"
                f" ({module_reason(top)})."
            )


class SandboxedSys:
    """What `import sys` gives a student: streams, exit and a few facts, never the real module."""

    argv: list[str]
    maxsize = sys.maxsize
    maxunicode = sys.maxunicode
    version = sys.version
    version_info = sys.version_info
    platform = sys.platform
    byteorder = sys.byteorder
    float_info = sys.float_info
    int_info = sys.int_info
    hash_info = sys.hash_info
    float_repr_style = sys.float_repr_style
    executable = ""

    def __init__(self, script_name: str) -> None:
        self.argv = [script_name]

    def __repr__(self) -> str:
        return "<module 'sys' (sandboxed)>"

    @property
    def stdin(self) -> Any:
        return sys.stdin

    @stdin.setter
    def stdin(self, stream: Any) -> None:
        sys.stdin = stream

    @property
    def stdout(self) -> Any:
        return sys.stdout

    @stdout.setter
    def stdout(self, stream: Any) -> None:
        sys.stdout = stream

    @property
    def stderr(self) -> Any:
        return sys.stderr

    @stderr.setter
    def stderr(self, stream: Any) -> None:
        sys.stderr = stream

    def exit(self, status: object = None) -> NoReturn:
        raise SystemExit(status)

    def getrecursionlimit(self) -> int:
        return sys.getrecursionlimit()

    def setrecursionlimit(self, limit: int) -> None:
        sys.setrecursionlimit(max(50, min(int(limit), RECURSION_LIMIT_CAP)))

    def getsizeof(self, value: object, default: int | None = None) -> int:
        return sys.getsizeof(value) if default is None else sys.getsizeof(value, default)

    def intern(self, text: str) -> str:
        return sys.intern(text)

    def get_int_max_str_digits(self) -> int:
        return sys.get_int_max_str_digits()

    def set_int_max_str_digits(self, digits: int) -> None:
        sys.set_int_max_str_digits(digits)

    def exc_info(self) -> Any:
        return sys.exc_info()

    def exception(self) -> BaseException | None:
        return sys.exception()

    def getdefaultencoding(self) -> str:
        return sys.getdefaultencoding()


def student_builtins(guard: Guard, script_name: str) -> dict[str, Any]:
    """The builtins a student's module sees: no eval/exec/compile, an import of allowed modules only."""
    names = {name: value for name, value in vars(builtins).items() if name not in FORBIDDEN_BUILTINS}
    names |= _attribute_access_for(guard)
    names |= {
        "__import__": _import_for(guard, SandboxedSys(script_name)),
        "open": _open_for(guard),
        "exit": _leave,
        "quit": _leave,
    }
    return names


def _check_attribute(guard: Guard, name: object) -> None:
    if isinstance(name, str) and name in FORBIDDEN_ATTRIBUTES:
        guard.refuse(f"Your program tried to reach the attribute {name}, which is not allowed.")


def _attribute_access_for(guard: Guard) -> dict[str, Callable[..., Any]]:
    """getattr, hasattr, setattr and delattr, refusing the attributes that lead out of the sandbox."""
    real_getattr, real_setattr, real_delattr = builtins.getattr, builtins.setattr, builtins.delattr

    def safe_getattr(obj: object, name: str, *default: object) -> Any:
        _check_attribute(guard, name)
        return real_getattr(obj, name, *default)

    def safe_hasattr(obj: object, name: str) -> bool:
        _check_attribute(guard, name)
        return builtins.hasattr(obj, name)

    def safe_setattr(obj: object, name: str, value: object) -> None:
        _check_attribute(guard, name)
        real_setattr(obj, name, value)

    def safe_delattr(obj: object, name: str) -> None:
        _check_attribute(guard, name)
        real_delattr(obj, name)

    return {
        "getattr": safe_getattr,
        "hasattr": safe_hasattr,
        "setattr": safe_setattr,
        "delattr": safe_delattr,
    }


def _import_for(guard: Guard, sandboxed_sys: SandboxedSys) -> Callable[..., Any]:
    """The import statement's function: allowed modules only, and the sandboxed sys for `sys`."""
    real_import = builtins.__import__

    def restricted_import(
        name: str,
        globals: dict[str, Any] | None = None,
        locals: dict[str, Any] | None = None,
        fromlist: tuple[str, ...] | list[str] | None = (),
        level: int = 0,
    ) -> Any:
        top = name.partition(".")[0]
        if level:
            guard.refuse("Your program tried a relative import, which is not available here.")
        if top == "sys":
            return sandboxed_sys
        if top not in ALLOWED_MODULES and top not in _INTERNAL_IMPORTS:  # the latter: C code's lazy imports
            guard.refuse(
                f"Your program tried to import {name}, which is not allowed in the sandbox"
                f" ({module_reason(top)})."
            )
        for attribute in fromlist or ():
            _check_attribute(guard, attribute)
        return real_import(name, globals, locals, fromlist, level)

    return restricted_import


def _open_for(guard: Guard) -> Callable[..., Any]:
    """open() on paths only, with the student's /tmp meaning the run's own folder."""
    real_open = builtins.open

    def sandbox_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, int):
            guard.refuse("Your program tried to open a file by its descriptor number, which is not allowed.")
        # the run's /tmp is its own folder where no private /tmp mount exists (the Lambda case)
        if isinstance(file, str) and guard.work_dir != RUN_TMP and _inside(file, RUN_TMP):
            file = guard.work_dir + file[len(RUN_TMP) :]
        return real_open(file, *args, **kwargs)

    return sandbox_open


def _leave(code: object = None) -> NoReturn:
    """exit() and quit() for a student's program (the zygote runs without the site module that adds them)."""
    raise SystemExit(code)
