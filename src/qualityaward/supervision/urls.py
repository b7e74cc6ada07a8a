from django.urls import path

from .views import awards, cases, public, statistics

app_name = "supervision"

urlpatterns = [
    path("", awards.winner_list, name="winners"),
    path("awards/<int:pk>/", awards.award_detail, name="award"),
    path("awards/<int:pk>/funds/", awards.fund_page, name="funds"),
    path("awards/<int:pk>/funds/<int:year>/submit/", awards.fund_report_submit, name="fund_submit"),
    path("awards/<int:pk>/funds/rate/", awards.performance_rate, name="fund_rate"),
    path("awards/<int:pk>/visits/", awards.visits, name="visits"),
    path("awards/<int:pk>/honour/", awards.honour, name="honour"),
    path("files/<str:file_id>/", awards.stored_file, name="file"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/evidence/", cases.case_evidence, name="case_evidence"),
    path("cases/<int:pk>/decide/", cases.case_decide, name="case_decide"),
    path("cases/<int:pk>/publish/", cases.case_publish, name="case_publish"),
    path("cases/<int:pk>/close/", cases.case_close, name="case_close"),
    path("returns/<int:pk>/", cases.return_item, name="return_item"),
    path("misuse/", cases.misuse_list, name="misuse"),
    path("misuse/<int:pk>/close/", cases.misuse_close, name="misuse_close"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics/<int:pk>/export/", statistics.statistics_export, name="statistics_export"),
    path("cycles/<int:pk>/close/", statistics.close_cycle, name="cycle_close"),
    path("public/revocations/", public.revocations, name="public_revocations"),
]
