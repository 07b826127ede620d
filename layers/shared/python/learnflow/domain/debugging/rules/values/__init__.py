"""Values: a value of the right type that an operation still cannot work with (ValueError,
ZeroDivisionError): text that is no number, a negative square root, a division by zero, too many
or too few values to unpack."""
