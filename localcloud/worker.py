"""A function's execution environments: one template process per function, which forks workers.

Started by the runtime as `python -m localcloud.worker <handler> <control fd>` with the function's
own environment. The template imports what the handler module imports (Powertools, pydantic,
psycopg, the domain...) once, then waits on its control socket. Each message there carries one end
of a new socket pair: the template forks, and the child becomes a worker, an execution environment
of its own: it runs the handler module's init (as Lambda's init phase), gets its own /tmp and
serves invocations over that socket, one JSON line in and one out. The handler's prints and logs
go to stderr, which the runtime keeps in the function's log. The EMF documents it prints (Powertools
Metrics) are kept too and come back with the reply (`"metrics"`), for the local cloud's /metrics.
"""

import ast
import contextlib
import gc
import importlib
import importlib.util
import io
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any, TextIO, cast, override

from localcloud.config import host_variable
from localcloud.lambda_context import LambdaContext

READY = b"ready\n"


def _load(handler_path: str) -> Any:
    module_name, _, attribute = handler_path.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def _error(error: BaseException) -> dict[str, Any]:
    return {
        "errorType": type(error).__name__,
        "errorMessage": str(error),
        "stackTrace": traceback.format_exception(error),
    }


def imported_by(module_name: str) -> list[str]:
    """The modules a module imports at its top level (its own init is left to each worker)."""
    spec = importlib.util.find_spec(module_name)
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return []
    tree = ast.parse(Path(spec.origin).read_text())
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from package import module` names modules too; other names simply fail to import
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return names


def _preimport(handler_path: str) -> None:
    for name in imported_by(handler_path.rpartition(".")[0]):
        # a name that is no module fails here; a module that fails fails again in the worker's init
        with contextlib.suppress(Exception):
            importlib.import_module(name)


class EmfCapture(io.TextIOBase):
    """Stands in for stdout: writes everything through, and keeps the EMF documents printed."""

    def __init__(self, through: TextIO) -> None:
        super().__init__()
        self._through = through
        self._partial = ""
        self.documents: list[dict[str, Any]] = []

    @override
    def write(self, text: str) -> int:
        written = self._through.write(text)
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        self.documents += [document for line in lines if (document := emf_document(line)) is not None]
        return written

    @override
    def flush(self) -> None:
        self._through.flush()

    @override
    def fileno(self) -> int:
        return self._through.fileno()

    @override
    def isatty(self) -> bool:
        return self._through.isatty()

    def take(self) -> list[dict[str, Any]]:
        documents, self.documents = self.documents, []
        return documents


def emf_document(line: str) -> dict[str, Any] | None:
    """The EMF document a printed line is (a JSON object with `_aws.CloudWatchMetrics`), else None."""
    if '"CloudWatchMetrics"' not in line:
        return None
    try:
        document = json.loads(line)
    except ValueError:
        return None
    metadata = document.get("_aws") if isinstance(document, dict) else None
    return document if isinstance(metadata, dict) and "CloudWatchMetrics" in metadata else None


def serve(handler_path: str, requests: TextIO, replies: TextIO) -> None:
    """One execution environment: the handler's init, then invocations until the runtime hangs up."""
    printed, capture = sys.stdout, EmfCapture(sys.stdout)
    sys.stdout = cast(TextIO, capture)
    try:
        _serve(handler_path, requests, replies, capture)
    finally:
        sys.stdout = printed


def _serve(handler_path: str, requests: TextIO, replies: TextIO, capture: EmfCapture) -> None:
    try:
        handler = _load(handler_path)
    except Exception as error:  # an init error is reported like Lambda's Runtime.ImportModuleError
        _send(replies, json.dumps({"init_error": _error(error)}))
        return
    _send(replies, json.dumps({"ready": True}))
    for line in requests:
        request = json.loads(line)
        context = LambdaContext(**request["context"])
        try:
            reply = {"result": handler(request["event"], context)}
        except Exception as error:  # the function failed; the runtime decides what that means
            reply = {"error": _error(error)}
        reply["metrics"] = capture.take()
        try:
            encoded = json.dumps(reply)
        except (TypeError, ValueError) as error:
            encoded = json.dumps({"error": _error(error), "metrics": reply["metrics"]})
        _send(replies, encoded)


def _send(replies: TextIO, line: str) -> None:
    replies.write(line + "\n")
    replies.flush()


def _become_worker(handler_path: str, channel: socket.socket) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # a handler may wait for its own subprocesses
    own_tmp = tempfile.mkdtemp(prefix=f"{host_variable('AWS_LAMBDA_FUNCTION_NAME', 'function')}-tmp-")
    os.environ["TMPDIR"] = own_tmp
    tempfile.tempdir = None
    try:
        with channel.makefile("r") as requests, channel.makefile("w") as replies:
            serve(handler_path, requests, replies)
    finally:
        shutil.rmtree(own_tmp, ignore_errors=True)


def run_template(handler_path: str, control: socket.socket) -> None:
    """Forks a worker for each socket the runtime sends; ends when the runtime closes the control socket."""
    _preimport(handler_path)
    gc.freeze()  # the collector leaves what the workers inherit alone: their pages stay shared
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    control.sendall(READY)
    while True:
        message, fds, _, _ = socket.recv_fds(control, 16, 1)
        if not message or not fds:
            return
        pid = os.fork()
        if pid == 0:
            control.close()
            _become_worker(handler_path, socket.socket(fileno=fds[0]))
            sys.exit(0)  # unwinds normally, so exit handlers (coverage, Powertools) run
        os.close(fds[0])
        control.sendall(f"{pid}\n".encode())


def main() -> None:
    handler_path, control_fd = sys.argv[1], int(sys.argv[2])
    os.dup2(2, 1)  # print() at import time goes to the function's log, like a handler's
    run_template(handler_path, socket.socket(fileno=control_fd))


if __name__ == "__main__":
    main()
