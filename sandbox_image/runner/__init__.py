"""The sandbox runner: static check, zygote, forked runs and their layers (standard library only)."""
