"""Chaos tests reuse the API tests' helpers and fixtures (tests/api/api_reuse.py): `Server`,
`Api`, the engine fixture and the OpenAPI check are the same objects here."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "api"))
import api_reuse  # noqa: E402

api_reuse.reexport(globals())

import pytest  # noqa: E402

from support_chaos import FakeStripe  # noqa: E402


@pytest.fixture
def stripe(tmp_path):
    """tools/fake_stripe.py with its durable ledger, stopped whatever the test did."""
    fake = FakeStripe(str(tmp_path / "stripe.jsonl"))
    try:
        yield fake
    finally:
        fake.stop()
