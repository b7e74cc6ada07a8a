from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from ..selectors.awards import published_revocations


@login_not_required
def revocations(request):
    """The public list of revocations (A28, A29: 予以通报)."""
    return render(
        request, "supervision/public_revocations.html", {"cases": published_revocations()}
    )
