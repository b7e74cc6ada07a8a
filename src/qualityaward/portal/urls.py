from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/accept/", views.privacy_accept, name="privacy_accept"),
    path("documents/<slug:kind>/", views.public_document, name="public_document"),
    path("documents/<slug:kind>/pdf/", views.public_document_pdf, name="public_document_pdf"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:role>/", views.role_dashboard, name="role_dashboard"),
]
