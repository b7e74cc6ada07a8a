from django.urls import path

from .views import agency, conflicts, experts

app_name = "evaluation"

urlpatterns = [
    path("agencies/", agency.agency_list, name="agencies"),
    path("agencies/<int:pk>/", agency.agency_detail, name="agency"),
    path("agencies/<int:pk>/edit/", agency.agency_edit, name="agency_edit"),
    path("agencies/<int:pk>/coordinators/", agency.coordinator_add, name="coordinator_add"),
    path("coordinators/<int:pk>/remove/", agency.coordinator_remove, name="coordinator_remove"),
    path("agencies/<int:pk>/procurements/new/", agency.procurement_new, name="procurement_new"),
    path(
        "procurements/<int:pk>/document/",
        agency.procurement_document,
        name="procurement_document",
    ),
    path("experts/", experts.expert_list, name="experts"),
    path("experts/me/", experts.my_profile, name="my_profile"),
    path("experts/<int:pk>/", experts.expert_detail, name="expert"),
    path("experts/<int:pk>/edit/", experts.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/status/", experts.expert_status, name="expert_status"),
    path("experts/<int:pk>/qualifications/", experts.qualification_add, name="qualification_add"),
    path(
        "qualifications/<int:pk>/remove/",
        experts.qualification_remove,
        name="qualification_remove",
    ),
    path("experts/<int:pk>/employments/", experts.employment_add, name="employment_add"),
    path("employments/<int:pk>/", experts.employment_edit, name="employment_edit"),
    path("experts/<int:pk>/declarations/", experts.declaration_add, name="declaration_add"),
    path(
        "declarations/<int:pk>/withdraw/",
        experts.declaration_withdraw,
        name="declaration_withdraw",
    ),
    path("conflicts/", conflicts.conflict_list, name="conflicts"),
    path("staff-conflicts/<int:pk>/end/", conflicts.staff_conflict_end, name="staff_conflict_end"),
    path("groups/", conflicts.group_list, name="groups"),
    path("groups/<int:pk>/", conflicts.group_detail, name="group"),
    path(
        "group-members/<int:pk>/remove/",
        conflicts.group_member_remove,
        name="group_member_remove",
    ),
]
