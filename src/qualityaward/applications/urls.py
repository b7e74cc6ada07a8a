from django.urls import path

from .views import applicants, records

app_name = "applications"

urlpatterns = [
    path("register/", applicants.register, name="register"),
    path("register/organisation/", applicants.register_organisation, name="register_organisation"),
    path("register/individual/", applicants.register_individual, name="register_individual"),
    path("profile/", applicants.profile, name="profile"),
    path("applicants/", applicants.applicant_list, name="list"),
    path("applicants/<int:pk>/", applicants.applicant_detail, name="detail"),
    path("applicants/<int:pk>/edit/", applicants.applicant_edit, name="edit"),
    path("applicants/<int:pk>/eligibility/", applicants.applicant_eligibility, name="eligibility"),
    path("applicants/<int:pk>/records/", records.applicant_records, name="records"),
    path("applicants/<int:pk>/results/", records.annual_results, name="results"),
    path("records/<int:pk>/withdraw/", records.record_withdraw, name="record_withdraw"),
    path("lists/", records.list_page, name="lists"),
]
