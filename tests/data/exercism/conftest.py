"""These are exercises to import, not tests of this project: pytest must not collect them."""

collect_ignore_glob = ["*"]
