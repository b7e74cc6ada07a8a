"""Links for long lists: the route reversed once, not once per row."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse


def pk_link(name: str) -> Callable[[int], str]:
    """`link(pk)` gives `reverse(name, args=[pk])` for a route whose only argument is
    an integer pk (its placeholder 0 is the last 0 of the reversed path)."""
    head, tail = reverse(name, args=[0]).rsplit("0", 1)
    return lambda pk: f"{head}{pk}{tail}"
