"""Chaos tests reuse the API tests' helpers: tests/api goes on sys.path and its conftest is loaded
under its own name, so `Server`, `Api`, the engine fixture and the OpenAPI check are the same
objects here (tests/api/support_*.py import `conftest`, which is this module re-exporting them)."""
import importlib.util
import os
import sys

API_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "api")
sys.path.insert(0, API_DIR)
_spec = importlib.util.spec_from_file_location("api_conftest", os.path.join(API_DIR, "conftest.py"))
api_conftest = importlib.util.module_from_spec(_spec)
sys.modules["api_conftest"] = api_conftest
_spec.loader.exec_module(api_conftest)

from api_conftest import (  # noqa: E402,F401  (re-exported for tests/api/support_*.py)
    ENGINES, EVENTLY_BIN, PG_URL, Api, Server, assert_error, engine, fresh_store_url,
    responses_match_the_api_reference)

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
