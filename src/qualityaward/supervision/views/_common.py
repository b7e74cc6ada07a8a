from django.http import Http404
from django.shortcuts import get_object_or_404

from ..selectors.awards import awards_visible_to


def check(request, perm: str, obj=None) -> None:
    """404, not 403: a user does not learn what exists beyond what it may see."""
    if not request.user.has_perm(perm, obj):
        raise Http404


def visible_award(request, pk: int):
    return get_object_or_404(awards_visible_to(user=request.user), pk=pk)
