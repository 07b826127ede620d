"""The REST API's response bodies, as the OpenAPI document shows them."""
