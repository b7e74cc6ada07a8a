from django.urls import path

from . import views

app_name = "cycles"

urlpatterns = [
    path("", views.cycle_list, name="list"),
    path("<int:pk>/", views.cycle_detail, name="detail"),
    path("<int:pk>/stage/start/", views.stage_record, {"action": "start"}, name="stage_start"),
    path("<int:pk>/stage/end/", views.stage_record, {"action": "end"}, name="stage_end"),
]
