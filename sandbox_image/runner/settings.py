"""The sandbox runner's configuration, read from the host's environment.

Standard library only, like the rest of the runner: the sandbox image ships no third-party package.
Only the host's side (`client`) reads it; zygotes and runs start with an empty environment.
"""

import os

#: "off" forces the Lambda case (no user namespaces) even where bubblewrap works
NAMESPACES_SETTING = "LEARNFLOW_SANDBOX_NAMESPACES"
_SWITCHED_OFF = ("off", "0", "false", "no")


def namespaces_wanted() -> bool:
    """False when namespaces are switched off; by default ("auto") they are used wherever usable."""
    return os.environ.get(NAMESPACES_SETTING, "auto").lower() not in _SWITCHED_OFF
