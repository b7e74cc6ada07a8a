"""System check: uploads must never land where the web server serves static files."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def media_not_served(app_configs, **kwargs):
    media = Path(settings.MEDIA_ROOT).resolve()
    served = [Path(settings.STATIC_ROOT).resolve()] if settings.STATIC_ROOT else []
    served += [
        Path(d if isinstance(d, str | Path) else d[1]).resolve() for d in settings.STATICFILES_DIRS
    ]
    errors = []
    for path in served:
        if media == path or path in media.parents or media in path.parents:
            errors.append(
                Error(
                    f"MEDIA_ROOT ({media}) overlaps a static files directory ({path}).",
                    hint="Keep uploads outside STATIC_ROOT and STATICFILES_DIRS.",
                    id="documents.E001",
                )
            )
    whitenoise_root = getattr(settings, "WHITENOISE_ROOT", None)
    if whitenoise_root:
        root = Path(whitenoise_root).resolve()
        if media == root or root in media.parents:
            errors.append(Error("MEDIA_ROOT is inside WHITENOISE_ROOT.", id="documents.E002"))
    return errors
