"""The OpenAPI document is valid (openapi-spec-validator) and names, tags and describes every
operation after the Flask endpoint that serves it, so a generated client's methods are named
for what they do; the report's binary answer is described as binary."""
import re

import pytest
from openapi_spec_validator import validate


@pytest.fixture
def app_config():
    return {}  # the document does not depend on the store


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json


def operations(document):
    return [(path, method, operation) for path, item in document["paths"].items()
            for method, operation in item.items()]


def test_the_document_is_valid_openapi(document):
    validate(document)


def test_every_operation_has_its_endpoints_name_a_declared_tag_and_a_description(app, document):
    endpoints = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[a-z]+:)?[a-z_]+_id>", "{id}", rule.rule.removeprefix("/api/v1"))
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", path)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                endpoints[(path, method.lower())] = rule.endpoint.removeprefix("api.")
    described = {(path, method): operation for path, method, operation in operations(document)}
    assert set(described) == set(endpoints)
    tags = {tag["name"] for tag in document["tags"]}
    for key, operation in described.items():
        assert operation["operationId"] == endpoints[key], key
        assert len(operation["tags"]) == 1 and operation["tags"][0] in tags, key
        assert len(operation["description"]) > 20 and operation["description"] != operation["summary"], key
    ids = [operation["operationId"] for operation in described.values()]
    assert len(ids) == len(set(ids))


def test_the_report_describes_each_format_and_the_pdf_as_bytes_first(document):
    content = document["paths"]["/reports/progress"]["get"]["responses"]["200"]["content"]
    # First as served (the JSON's keys are sorted): a generated client decodes by the first it knows.
    assert list(content)[0] == "application/pdf"
    assert set(content) == {"application/pdf", "text/markdown", "text/html", "text/csv"}
    assert content["application/pdf"]["schema"]["format"] == "binary"
    formats = document["components"]["schemas"]["ReportFormat"]["enum"]
    for media, answer in content.items():
        assert any(f"format={fmt}" in answer["schema"]["description"] for fmt in formats), media
