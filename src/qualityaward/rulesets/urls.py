from django.urls import path

from . import views

app_name = "rulesets"

urlpatterns = [
    path("", views.index, name="index"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/clone/", views.version_clone, name="version_clone"),
    path("versions/<int:pk>/activate/", views.version_activate, name="version_activate"),
    path("versions/<int:pk>/export/", views.version_export, name="version_export"),
    path("versions/<int:pk>/upload/", views.version_upload, name="version_upload"),
    path("versions/<int:pk>/diff/<int:other>/", views.version_diff, name="version_diff"),
    path("file-schema/", views.file_schema, name="file_schema"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework_detail"),
]
