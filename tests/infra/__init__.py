"""Tests of the CDK app, on the synthesized template."""
