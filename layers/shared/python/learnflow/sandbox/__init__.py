"""The sandbox client of deployed functions: `LambdaSandbox` invokes the sandbox container-image
function (`{"action": "run" | "grade" | "layers", ...}`) for the domain's `Sandbox` port.

The local cloud runs that same function and serves the same invoke API; code running beside the
runner itself (the local cloud's tools, the tests) uses `localcloud.sandbox.LocalSandbox`.
`learnflow.dependencies.sandbox_for(settings)` gives a function its sandbox.
"""

from learnflow.sandbox.client import LambdaSandbox

__all__ = ["LambdaSandbox"]
