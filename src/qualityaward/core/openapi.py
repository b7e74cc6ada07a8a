"""The API schema documents the error answers too (drf-spectacular postprocessing hook).

drf-spectacular documents only the success response of each operation. The API also
answers, on every operation that needs a user, 401/403 (no or a wrong token, or not
allowed: SessionAuthentication comes first, so DRF answers 403 to anonymous callers);
404 where the path names an object (hidden or missing); 400 to invalid input (project
errors and validation errors); 409 to a concurrent or stale change (core.errors.Conflict).
Clients of other government systems, and the schema-driven tests (tests/api/test_fuzz.py),
need these in the contract."""

from __future__ import annotations

ERROR = {
    "type": "object",
    "description": "An error: `detail` is the message to show, `code` names the error.",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}
# A validation error maps each field (or non_field_errors) to its messages.
VALIDATION_ERROR = {
    "type": "object",
    "description": "Invalid input: a message, or the messages of each field.",
    "additionalProperties": True,
}
DESCRIPTIONS = {
    "400": "Invalid input.",
    "401": "Not authenticated (a wrong or missing token).",
    "403": "Not authenticated, or not allowed.",
    "404": "Not found, or not visible to the user.",
    "409": "Changed by someone else in the meantime.",
}
METHODS = {"get", "post", "put", "patch", "delete"}


def _response(status: str) -> dict:
    schema_name = "ValidationError" if status == "400" else "Error"
    return {
        "description": DESCRIPTIONS[status],
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }


def _constrain_path_parameters(parameters: list[dict]) -> None:
    """Django's converters match only digits for <int:...> and no slash for <str:...>, and
    core.middleware.IdentifierRangeMiddleware refuses ids beyond the database's range:
    anything else never reaches the API (the site's 404 page answers), so say so."""
    for parameter in parameters:
        if parameter.get("in") != "path":
            continue
        schema = parameter.setdefault("schema", {})
        if schema.get("type") == "integer":
            schema.setdefault("minimum", 0)
            schema.setdefault("maximum", 2**63 - 1)  # beyond: core.middleware answers 404
        elif schema.get("type") == "string" and "pattern" not in schema:
            schema["pattern"] = "^[^/]+$"


def document_error_responses(result, generator, request, public):
    """Add the error responses each operation can give, unless it documents them already,
    and constrain path parameters to what the URL converters accept."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    default_security = result.get("security")
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            statuses = []
            security = operation.get("security", default_security) or []
            if security and {} not in security:
                statuses += ["401", "403"]
            parameters = operation.get("parameters", [])
            _constrain_path_parameters(parameters)
            if operation.get("requestBody") or any(p.get("in") == "query" for p in parameters):
                statuses.append("400")
            if "{" in path:
                statuses.append("404")
            if method != "get":
                statuses += ["400", "403", "409"]
            responses = operation.setdefault("responses", {})
            for status in statuses:
                responses.setdefault(status, _response(status))
    return result
