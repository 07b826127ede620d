"""Data access: one small repository per aggregate, all on the transaction's connection."""
