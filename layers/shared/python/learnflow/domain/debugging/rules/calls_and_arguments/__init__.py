"""Calls and arguments: a function or method called with more or fewer arguments than its
definition accepts (TypeError)."""
