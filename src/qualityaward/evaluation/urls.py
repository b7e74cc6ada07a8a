from django.urls import path

from .views import agency, conflicts, experts, members, oversight, panels, reports

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
    # Panels and scoring (A18): the coordinator's pages, the expert's pages
    path("cycles/<int:cycle_pk>/panels/", panels.cycle_panels, name="cycle_panels"),
    path("cycles/<int:cycle_pk>/panels/assign/", panels.panels_assign, name="panels_assign"),
    path("cycles/<int:cycle_pk>/results/", panels.cycle_results, name="cycle_results"),
    path("runs/<int:pk>/replay/", panels.run_replay, name="run_replay"),
    path("panels/<int:pk>/", panels.panel_detail, name="panel"),
    path("panels/<int:pk>/members/", panels.member_add, name="member_add"),
    path("panels/<int:pk>/schedule/", panels.panel_schedule, name="panel_schedule"),
    path("panels/<int:pk>/checks/", panels.panel_checks, name="panel_checks"),
    path("panels/<int:pk>/consensus/", panels.consensus, name="consensus"),
    path("members/<int:pk>/remove/", panels.member_remove, name="member_remove"),
    path("members/<int:pk>/replace/", panels.member_replace, name="member_replace"),
    path("assignments/", members.my_assignments, name="my_assignments"),
    path("members/<int:pk>/", members.member_page, name="member"),
    path("members/<int:pk>/confirm/", members.member_confirm, name="member_confirm"),
    path("members/<int:pk>/scores/", members.member_scores, name="member_scores"),
    path("members/<int:pk>/submit/", members.member_submit, name="member_submit"),
    path(
        "applications/<int:pk>/evidence/<int:evidence_pk>/",
        members.evidence_read,
        name="evidence_read",
    ),
    # Outputs, feedback and oversight (A26, A8)
    path("applications/<int:pk>/report.pdf", reports.report_pdf, name="report_pdf"),
    path(
        "applications/<int:pk>/feedback/",
        reports.application_feedback,
        name="application_feedback",
    ),
    path("members/<int:pk>/rate/", reports.member_rate, name="member_rate"),
    path("oversight/", oversight.oversight, name="oversight"),
    path("oversight/misconduct/", oversight.misconduct_new, name="misconduct_new"),
    path("oversight/leniency/", oversight.leniency_page, name="leniency"),
    path("oversight/leniency/<int:pk>/", oversight.leniency_expert, name="leniency_expert"),
]
