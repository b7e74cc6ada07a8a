from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(lockout_limit=settings.AXES_FAILURE_LIMIT, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("portal:dashboard")
