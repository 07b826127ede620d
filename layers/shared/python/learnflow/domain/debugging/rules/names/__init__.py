"""Names: a name Python does not know (NameError), a local variable read too early
(UnboundLocalError), and modules or names that cannot be imported."""
