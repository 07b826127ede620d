"""The local cloud's own log (the functions log to their own files)."""

import logging

gateway_log = logging.getLogger("learnflow.localcloud")
