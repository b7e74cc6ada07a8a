"""Walk the site's URL configuration: every pattern, its full name and its route.

Shared by the portal's login walk (tests/portal/test_dashboards.py), the authorization
matrix (tests/authz/) and the security settings checks (tests/security/)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Sample values for the URL converters, for walks that do not need real objects.
SAMPLE_VALUES = [
    ("<slug:role>", "office"),
    ("<int:pk>", "1"),
    ("<str:code>", "gbt19580-2012"),
    ("<int:cycle_pk>", "1"),
    ("<int:template_pk>", "1"),
    ("<int:evidence_pk>", "1"),
    ("<int:supplement>", "1"),
    ("<str:section>", "form"),
]

_CONVERTER = re.compile(r"<(?:(?P<type>[a-z]+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    """One URL pattern of the site."""

    name: str  # "namespace:name", or the bare route when the pattern has no name
    route: str  # "applications/applications/<int:pk>/", without the leading slash
    callback: Callable
    default_kwargs: dict

    @property
    def parameters(self) -> list[str]:
        """The names of the route's parameters, in order."""
        return [match["name"] for match in _CONVERTER.finditer(self.route)]

    def fill(self, values: dict[str, object]) -> str:
        """The absolute path with each parameter replaced by `values[name]`."""
        missing = [name for name in self.parameters if name not in values]
        if missing:
            raise KeyError(f"no value for {missing} in {self.route}")
        path = _CONVERTER.sub(lambda m: str(values[m["name"]]), self.route)
        return "/" + path


def iter_routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    """Every URL pattern of the site (depth first, in resolution order)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from iter_routes(entry, route, inner)
        elif isinstance(entry, URLPattern):
            route = route.replace("^", "").replace("$", "")
            name = f"{namespace}{entry.name}" if entry.name else route
            yield Route(
                name=name,
                route=route,
                callback=entry.callback,
                default_kwargs=dict(entry.default_args),
            )


def all_routes() -> list[Route]:
    return list(iter_routes())


def concrete_paths() -> Iterator[str]:
    """Every URL of the site with its parameters filled by sample values."""
    for route in iter_routes():
        path = "/" + route.route
        for converter, sample in SAMPLE_VALUES:
            path = path.replace(converter, sample)
        # Any other parameter: a number for int, a word otherwise.
        yield _CONVERTER.sub(lambda m: "1" if m["type"] == "int" else "x", path)
