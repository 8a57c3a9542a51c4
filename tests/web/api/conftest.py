"""Every API test runs on both backends: the embedded TinyDB default and a real PostgreSQL server."""
import pytest


@pytest.fixture(params=["tinydb", "postgresql"])
def app_config(request):
    if request.param == "postgresql":
        return {"STORE": request.getfixturevalue("pg_server").new_database()}
    return {}
