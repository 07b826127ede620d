"""A consumer that only notes when it was invoked, for measuring the event source mapping."""

import json
import os
import time
from pathlib import Path
from typing import Any


def record_arrival(event: dict[str, Any], context: Any) -> dict[str, Any]:
    arrived = time.time()
    with Path(os.environ["ARRIVALS_FILE"]).open("a") as arrivals:
        for records in event["records"].values():
            for record in records:
                arrivals.write(json.dumps({"offset": record["offset"], "arrived": arrived}) + "\n")
    return {"batchItemFailures": []}
