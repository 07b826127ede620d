"""A warm function worker: one process that imports one handler and runs invocations on request.

Started by the runtime as `python -m localcloud.worker <handler>` with the function's own
environment. Requests arrive as JSON lines on stdin and results leave as JSON lines on the
original stdout; the handler's own prints and logs go to stderr, which the runtime keeps.
"""

import importlib
import json
import os
import sys
import traceback
from typing import Any

from localcloud.lambda_context import LambdaContext


def _load(handler_path: str) -> Any:
    module_name, _, attribute = handler_path.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def _error(error: BaseException) -> dict[str, Any]:
    return {
        "errorType": type(error).__name__,
        "errorMessage": str(error),
        "stackTrace": traceback.format_exception(error),
    }


def main() -> None:
    handler_path = sys.argv[1]
    channel_out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # print() in a handler must never corrupt the protocol channel
    try:
        handler = _load(handler_path)
    except Exception as error:  # an init error is reported like Lambda's Runtime.ImportModuleError
        channel_out.write(json.dumps({"init_error": _error(error)}) + "\n")
        return
    channel_out.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        context = LambdaContext(**request["context"])
        try:
            reply = {"result": handler(request["event"], context)}
        except Exception as error:  # the function failed; the runtime decides what that means
            reply = {"error": _error(error)}
        try:
            encoded = json.dumps(reply)
        except (TypeError, ValueError) as error:
            encoded = json.dumps({"error": _error(error)})
        channel_out.write(encoded + "\n")


if __name__ == "__main__":
    main()
