"""The end-to-end tests use the session's one local cloud: `cloud`, `api` and `student` are in
tests/cloud_fixtures.py, registered for the whole suite by tests/conftest.py (tests/security shares them)."""
