"""Lambda's Invoke API, so functions call other functions (the sandbox) through boto3 as on AWS."""

import asyncio
import json
from http import HTTPStatus

from aiohttp import web

from localcloud.logs import gateway_log
from localcloud.runtime import FunctionRuntime, ThrottledError

INVOKE_PATH = "/2015-03-31/functions/{function_name}/invocations"


def _aws_error(status: HTTPStatus, error_type: str, message: str) -> web.Response:
    return web.json_response(
        {"Type": "User", "message": message}, status=status.value, headers={"x-amzn-ErrorType": error_type}
    )


class LambdaInvokeApi:
    def __init__(self, runtime: FunctionRuntime) -> None:
        self._runtime = runtime
        self._background: set[asyncio.Task[object]] = set()

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(INVOKE_PATH, self.invoke)

    async def invoke(self, request: web.Request) -> web.Response:
        name = request.match_info["function_name"].rsplit(":", 1)[-1]
        try:
            self._runtime.spec(name)
        except KeyError:
            return _aws_error(
                HTTPStatus.NOT_FOUND, "ResourceNotFoundException", f"Function not found: {name}"
            )
        try:
            event = json.loads(await request.read() or b"{}")
        except json.JSONDecodeError:
            return _aws_error(
                HTTPStatus.BAD_REQUEST, "InvalidRequestContentException", "Could not parse the payload"
            )
        if request.headers.get("X-Amz-Invocation-Type") == "Event":
            task = asyncio.create_task(self._runtime.invoke(name, event))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
            return web.Response(status=HTTPStatus.ACCEPTED.value)
        try:
            invocation = await self._runtime.invoke(name, event)
        except ThrottledError:
            return _aws_error(HTTPStatus.TOO_MANY_REQUESTS, "TooManyRequestsException", "Rate Exceeded.")
        headers = {"X-Amz-Executed-Version": "$LATEST"}
        if invocation.error is not None:
            gateway_log.error(
                "%s failed when invoked: %s: %s", name, invocation.error.error_type, invocation.error.message
            )
            body = {
                "errorMessage": invocation.error.message,
                "errorType": invocation.error.error_type,
                "stackTrace": invocation.error.stack_trace,
            }
            return web.json_response(body, headers=headers | {"X-Amz-Function-Error": "Unhandled"})
        return web.json_response(invocation.result, headers=headers)
