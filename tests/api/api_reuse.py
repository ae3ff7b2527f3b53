"""Lets a test folder beside tests/api (tests/chaos, tests/cluster) reuse tests/api's conftest.

`reexport(globals())` from that folder's conftest loads tests/api/conftest.py once, under the
name `api_conftest`, and gives the folder every public name of it: `Server`, `Api`, the helpers
and the fixtures (engine, the OpenAPI check) are then the same objects in both folders, and
tests/api/support_*.py, which import `conftest`, find them in the folder's own conftest. The
caller puts tests/api on sys.path first (it is how it finds this module)."""
import importlib.util
import os
import sys

API_DIR = os.path.dirname(os.path.abspath(__file__))


def reexport(namespace):
    module = sys.modules.get("api_conftest")
    if module is None:
        spec = importlib.util.spec_from_file_location("api_conftest",
                                                      os.path.join(API_DIR, "conftest.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules["api_conftest"] = module
        spec.loader.exec_module(module)
    namespace.update({k: v for k, v in vars(module).items()
                      if not k.startswith("_") and k not in namespace})
    return module
