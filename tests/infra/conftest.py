"""Synthesizes the CDK app once for every infra test.

The jsii kernel reads its environment when it starts, so the variables are set before the
first `aws_cdk` import: the built-in CloudFormation validation would triple the synth time.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("CDK_VALIDATION", "false")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import Stack
from aws_cdk.assertions import Template

from infra.app import build_app


@pytest.fixture(scope="session")
def cdk_out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("cdk.out")


@pytest.fixture(scope="session")
def stack(cdk_out: Path) -> Stack:
    app = build_app(outdir=str(cdk_out))
    (child,) = (node for node in app.node.children if isinstance(node, Stack))
    return child


@pytest.fixture(scope="session")
def template(stack: Stack) -> Template:
    """Synthesizes the stack (once: every test reads this one template)."""
    return Template.from_stack(stack)
