"""The API's OpenAPI document, with the answers every operation may give besides its own.

django-ninja describes each operation's 200 answer from its response schema. The rest is the
same for all of them and is added here, in one place, so the document cannot forget one:
- 400 when the path or a query parameter holds a control character (web/middleware.py refuses
  it before the API sees it); string parameters say so with a `pattern`;
- 401 when an operation that needs a logged-in person is called without one;
- 404 when a path parameter (or a filter naming one thing, such as `example`) names nothing
  the caller may see;
- 422 when a parameter does not have its documented type or value.
"""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

# Mirrors web/middleware.py: no C0 control character or DEL in a path; tab and line breaks may
# be text in a query.
PATH_TEXT = r"^[^\x00-\x1f\x7f]*$"
QUERY_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

ERROR = {
    "title": "Error",
    "type": "object",
    "properties": {"detail": {"title": "Detail", "type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "title": "ValidationError",
    "type": "object",
    "properties": {
        "detail": {
            "title": "Detail",
            "type": "array",
            "items": {"type": "object", "additionalProperties": True},
        }
    },
    "required": ["detail"],
}
# Filters that name one thing: an unknown one is 404, as on the page.
NAMING_FILTERS = frozenset({"example", "network", "target"})


def _answer(description: str, schema: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _constrain_text(parameter: dict[str, Any]) -> None:
    schema = parameter.get("schema", {})
    variants = schema.get("anyOf", [schema])
    for variant in variants:
        if variant.get("type") == "string" and "pattern" not in variant and "enum" not in variant:
            variant["pattern"] = PATH_TEXT if parameter.get("in") == "path" else QUERY_TEXT


def document_errors(schema: OpenAPISchema) -> OpenAPISchema:
    """Add the shared error answers and the text patterns to every operation of `schema`."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR)
    components.setdefault("ValidationError", VALIDATION_ERROR)
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.get("parameters", [])
            responses = operation.setdefault("responses", {})
            responses.setdefault(
                "400", _answer("A control character in the path or a query parameter.", "Error")
            )
            names_something = any(
                p.get("in") == "path" or p.get("name") in NAMING_FILTERS for p in parameters
            )
            if names_something:
                responses.setdefault(
                    "404", _answer("Nothing by that name that the caller may see.", "Error")
                )
            if operation.get("security"):
                responses.setdefault("401", _answer("Not logged in.", "Error"))
            if parameters:
                responses.setdefault(
                    "422", _answer("A parameter of the wrong type or value.", "ValidationError")
                )
            for parameter in parameters:
                _constrain_text(parameter)
    return schema


class DocumentedAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document also describes the shared error answers."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)
