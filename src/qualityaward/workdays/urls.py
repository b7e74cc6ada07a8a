from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("import/", views.import_year, name="import"),
    path("days/add/", views.add_day, name="add_day"),
    path("days/remove/", views.remove_day, name="remove_day"),
]
