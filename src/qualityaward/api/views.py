from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityaward.accounts.models import User

from .serializers import MeOutputSerializer


class MeView(APIView):
    """The authenticated user and the roles they hold."""

    @extend_schema(responses=MeOutputSerializer)
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)  # IsAuthenticated ran first
        data = {
            "username": user.get_username(),
            "display_name": user.display_name,
            "email": user.email,
            "roles": sorted(user.roles),
        }
        return Response(MeOutputSerializer(data).data)
