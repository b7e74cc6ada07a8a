from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from qualityaward.core.errors import QualityAwardError


def exception_handler(exc, context):
    """Project errors become a JSON body with the user's message and a code."""
    if isinstance(exc, QualityAwardError):
        return Response({"detail": exc.message, "code": exc.code}, status=exc.status_code)
    return drf_exception_handler(exc, context)
