"""What the load test may aim at and for how long, without importing locust (which patches the
process with gevent as it is imported): for the runner and the tests."""

import ipaddress
import re
from urllib.parse import urlsplit

_TIMESPAN = re.compile(r"(?:(?P<hours>\d+)h)?(?:(?P<minutes>\d+)m)?(?:(?P<seconds>\d+)s)?")


def is_loopback(url: str) -> bool:
    """Whether `url` points at this machine (127.0.0.0/8, ::1 or localhost)."""
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_duration(text: str) -> int:
    """Seconds in a duration as locust's `-t` reads it: 20, 20s, 3m, 1h20m, 3h30m10s."""
    if text.isdigit():
        return int(text)
    parts = _TIMESPAN.fullmatch(text)
    if not text or parts is None:
        raise ValueError(f"{text!r} is not a duration such as 30s, 5m or 1h20m")
    hours, minutes, seconds = (int(parts.group(name) or 0) for name in ("hours", "minutes", "seconds"))
    return hours * 3600 + minutes * 60 + seconds
