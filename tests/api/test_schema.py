"""The OpenAPI schema as third-party tools read it: valid, every answer documented, every text bounded."""

import re

import pytest
import yaml
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate

# Strings that are not free text: identifiers, dates, files, choices, patterns.
BOUNDED_FORMATS = {"uuid", "date", "date-time", "binary", "uri"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_schema_validates_with_openapi_spec_validator(schema):
    # Through YAML and back, as a client reads it (no Python objects left, e.g. lazy strings).
    validate(yaml.safe_load(yaml.dump(schema, allow_unicode=True)))


def test_the_served_schema_is_the_generated_one(client, schema):
    served = yaml.safe_load(client.get("/api/v1/schema/").content)
    assert set(served["paths"]) == set(schema["paths"])


def test_every_operation_documents_the_platform_errors_with_the_error_body(schema):
    """401/403 only where a credential is asked: the open verification endpoint answers neither."""
    missing = []
    open_operations = 0
    for path, method, operation in operations(schema):
        expected = {"400", "404", "429"} | ({"413", "415"} if "requestBody" in operation else set())
        authenticated = {"401", "403"}
        if operation.get("security"):
            expected |= authenticated
        else:
            open_operations += 1
            for status in sorted(authenticated & set(operation["responses"])):
                missing.append(f"{method.upper()} {path}: {status} documented on an open operation")
        for status in sorted(expected - set(operation["responses"])):
            missing.append(f"{method.upper()} {path}: {status}")
        for status in expected & set(operation["responses"]):
            content = operation["responses"][status].get("content", {}).get("application/json", {})
            if "detail" not in str(schema["components"]["schemas"].get(_ref(content.get("schema", {})), {})):
                missing.append(f"{method.upper()} {path}: {status} without the error body")
    assert not missing, "\n".join(missing)
    assert open_operations >= 1  # the public verification


def _ref(schema):
    return schema.get("$ref", "").rsplit("/", 1)[-1]


def _components_of(schema, name, seen):
    if name not in seen:
        seen.add(name)
        for inner in re.findall(r"#/components/schemas/(\w+)", str(schema["components"]["schemas"][name])):
            _components_of(schema, inner, seen)
    return seen


def _unbounded_strings(node, where):
    if isinstance(node, dict):
        is_text = node.get("type") == "string" and not node.get("readOnly")
        bounded = "maxLength" in node or "enum" in node or "pattern" in node or node.get("format") in BOUNDED_FORMATS
        if is_text and not bounded:
            yield where
        for key, value in node.items():
            yield from _unbounded_strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for position, value in enumerate(node):
            yield from _unbounded_strings(value, f"{where}[{position}]")


def test_every_text_a_client_sends_has_a_length_limit(schema):
    """A grid comment of 10,000 characters, a reason of a megabyte: refused by the serializer, and said
    in the schema (maxLength) so that a client's form says it too."""
    bodies, unbounded = set(), []
    for path, method, operation in operations(schema):
        for content in operation.get("requestBody", {}).get("content", {}).values():
            if _ref(content["schema"]):
                bodies |= _components_of(schema, _ref(content["schema"]), set())
            else:  # a file (the CPF acknowledgement)
                unbounded += _unbounded_strings(content["schema"], f"{method.upper()} {path}")
    for name in sorted(bodies):
        unbounded += _unbounded_strings(schema["components"]["schemas"][name], name)
    assert not unbounded, "\n".join(unbounded)


def test_enum_names_are_stable_without_generator_warnings():
    """A choice set named by a hash ("StateE1cEnum") renames a generated client's type when a choice
    changes: every collision is named in ENUM_NAME_OVERRIDES, and the generator warns of none."""
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular warned: see the captured output"
    names = set(generated["components"]["schemas"])
    assert {"DossierStateEnum", "FundingStateEnum", "JuryOutcomeEnum", "SessionStatusEnum"} <= names
    assert not [n for n in names if re.fullmatch(r"\w+[0-9A-F][0-9a-f]{2}Enum", n)]
