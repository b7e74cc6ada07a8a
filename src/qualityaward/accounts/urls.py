from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/", views.mfa_enrol, name="mfa_enrol"),
    path("two-factor/verify/", views.mfa_verify, name="mfa_verify"),
    path("two-factor/recovery-codes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("security/accounts/", views.user_security, name="user_security"),
    path("security/accounts/grant/", views.role_grant, name="role_grant"),
    path("security/accounts/<int:pk>/reset-two-factor/", views.mfa_reset, name="mfa_reset"),
    path("security/accounts/<int:pk>/unlock/", views.unlock, name="unlock"),
    path("security/log/", views.security_log, name="security_log"),
]
