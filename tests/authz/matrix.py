"""The declared authorization matrix: for every URL pattern of the site, what each actor
gets when it opens the page (GET) in the scenario of tests/authz/scenario.py.

One row per URL pattern name. `kwargs` fill the route's parameters from the scenario
(an object's name gives its pk; "=text" is a literal); `query` adds a query string the
same way. Unless a row says otherwise an anonymous visitor is sent to the login page
(302), and `logged_in` is what every signed-in actor gets; name an actor to override it.

Award B's staff (office_b, ...) are not listed in the rows: they get what the same role of
award A gets, and 404 where that is a page (200 or 302) of an object of award A
(scenario.AWARD_A_OBJECTS). A row may still name them to override that.

Statuses: 200 page; 302 redirect (login for anonymous; for the others where the row says
so, e.g. "my profile" going to the profile); 403 refused (the user may not do this kind of
thing); 404 hidden (the object exists but is not the user's to see, e.g. another
applicant's application, or an application the expert is conflicted on); 405 a POST-only
action opened with GET. The API answers 403 to anonymous callers (SessionAuthentication
comes first and sends no WWW-Authenticate challenge, so DRF answers 403, not 401).

A test (tests/authz/test_matrix.py) fails when a URL pattern has no row here."""

from __future__ import annotations

from dataclasses import dataclass, field

from .scenario import ACTORS, AWARD_A_OBJECTS, AWARD_B_ACTORS

LOGIN = 302


@dataclass(frozen=True)
class Row:
    name: str
    kwargs: dict = field(default_factory=dict)
    expected: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    public: bool = False  # open to anonymous visitors: their 302 is not to the login


def row(
    name: str,
    kwargs: dict | None = None,
    *,
    anonymous: int = LOGIN,
    logged_in: int = 403,
    query: dict | None = None,
    hidden_from_b: bool = True,
    **overrides: int,
) -> Row:
    unknown = set(overrides) - set(ACTORS)
    if unknown:
        raise ValueError(f"{name}: unknown actors {sorted(unknown)}")
    expected = {actor: logged_in for actor in ACTORS}
    expected["anonymous"] = anonymous
    expected.update(overrides)
    # Award B's staff get what the same role of award A gets, except that a URL naming an
    # object of award A is hidden from them (404).
    names_a = (
        hidden_from_b and {*(kwargs or {}).values(), *(query or {}).values()} & AWARD_A_OBJECTS
    )
    for actor_b, actor_a in AWARD_B_ACTORS.items():
        if actor_b not in overrides:
            seen = expected[actor_a] in (200, 302)
            expected[actor_b] = 404 if names_a and seen else expected[actor_a]
    return Row(name=name, kwargs=kwargs or {}, expected=expected, query=query or {})


def post_only(name: str, kwargs: dict | None = None) -> Row:
    """A POST-only action: anonymous visitors are sent to log in, everyone else gets 405."""
    return row(name, kwargs, logged_in=405)


def public(name: str, kwargs: dict | None = None, status: int = 200, **overrides: int) -> Row:
    # What the public reads of award A, award B's staff read too.
    made = row(name, kwargs, anonymous=status, logged_in=status, hidden_from_b=False, **overrides)
    return Row(made.name, made.kwargs, made.expected, made.query, public=True)


APP_A = {"pk": "application_a"}
# Who sees application A: the office, its owner, the department of its sector.
SEES_A = {"office": 200, "applicant": 200, "department": 200}
# Who sees A's document-review panel: the office, the supervisor, the coordinator of the
# procured agency, and its unconflicted member.
PANEL_A = {"office": 200, "supervisor": 200, "agency": 200, "expert": 200}
DECISION_READERS = {"office": 200, "working_group": 200, "supervisor": 200}
WINNER_LIST = {"office": 200, "supervisor": 200, "department": 200, "other_department": 200}
TIMELINE = {"office": 200, "working_group": 200, "agency": 200, "supervisor": 200}
AWARD_A = {"pk": "award"}
SUPERVISION_READERS = {"office": 200, "supervisor": 200}
# Who sees A's award: the readers, A's users, the department of A's sector.
SEES_AWARD_A = {**SUPERVISION_READERS, "applicant": 200, "department": 200}
# Who sees the use of A's prize money and its honour page: the readers and A's users.
FUNDS_A = {**SUPERVISION_READERS, "applicant": 200}

ROWS: list[Row] = [
    # --- site, accounts ------------------------------------------------------------------
    # Opened with GET it changes nothing and sends the visitor back (not to the login).
    public("set_language", status=302),
    public("portal:home"),
    public("portal:public_document", {"kind": "=guide"}),
    public("portal:public_document_pdf", {"kind": "=checklist"}),
    public("healthz"),
    public("portal:privacy"),
    # The matrix's users accepted the notice in force (tests/conftest.py): the page shows it.
    row("portal:privacy_accept", logged_in=200),
    row("portal:dashboard", logged_in=302),
    row("portal:role_dashboard", {"role": "=office"}, office=200),
    row("accounts:login", anonymous=200, logged_in=302),
    row("accounts:logout", logged_in=405),
    row("accounts:password_change", logged_in=200),
    # The matrix's sessions passed the second factor (tests/conftest.py): enrolment shows
    # its state, the verify step sends them on.
    row("accounts:mfa_enrol", logged_in=200),
    row("accounts:mfa_verify", logged_in=302),
    post_only("accounts:mfa_recovery_codes"),
    row("accounts:user_security", office=200),
    post_only("accounts:role_grant"),
    post_only("accounts:mfa_reset", {"pk": "=1"}),
    post_only("accounts:unlock", {"pk": "=1"}),
    row("accounts:security_log", supervisor=200),
    row("notifications:list", logged_in=200),
    post_only("notifications:read", {"pk": "notification"}),
    # --- working-day calendar, rule sets, cycles -----------------------------------------
    row("workdays:calendar", office=200),
    post_only("workdays:import"),
    post_only("workdays:add_day"),
    post_only("workdays:remove_day"),
    row("rulesets:index", office=200, supervisor=200),
    row("rulesets:version_detail", {"pk": "version"}, office=200, supervisor=200),
    # The demo version is in use by the cycle: the office is sent back to read it.
    row("rulesets:version_edit", {"pk": "version"}, office=302),
    post_only("rulesets:version_clone", {"pk": "version"}),
    post_only("rulesets:version_activate", {"pk": "version"}),
    row("rulesets:version_export", {"pk": "version"}, office=200),
    row("rulesets:version_upload", {"pk": "version"}, office=200),
    row("rulesets:version_diff", {"pk": "version", "other": "version"}, office=200),
    row("rulesets:file_schema", office=200),
    row("rulesets:framework_detail", {"pk": "framework"}, office=200, supervisor=200),
    row("cycles:list", **TIMELINE),
    row("cycles:detail", {"pk": "cycle"}, **TIMELINE),
    post_only("cycles:stage_start", {"pk": "cycle"}),
    post_only("cycles:stage_end", {"pk": "cycle"}),
    # --- API -----------------------------------------------------------------------------
    public("api:schema"),
    public("api:docs"),
    row("api:me", anonymous=403, logged_in=200),
    row("api:ruleset-version-list", anonymous=403, logged_in=200),
    row("api:ruleset-version-detail", {"pk": "version"}, anonymous=403, logged_in=200),
    row("api:framework-detail", {"code": "framework_code"}, anonymous=403, logged_in=200),
    public("api:calls"),
    row("api:applications", anonymous=403, logged_in=200),
    row("api:application", APP_A, anonymous=403, logged_in=404, **SEES_A),
    row("api:application_submit", APP_A, anonymous=403, logged_in=405),
    row("api:application_review", APP_A, anonymous=403, logged_in=405),
    # --- applicants and the office's records (A9-A12) -------------------------------------
    public("applications:register"),
    public("applications:register_organisation"),
    public("applications:register_individual"),
    # Without an applicant, "my profile" sends the user to register one on the account.
    row("applications:profile", logged_in=302),
    # Everyone signed in sees their own data (PIPL); the copy and the request are POSTs.
    row("applications:my_data", logged_in=200),
    post_only("applications:my_data_download"),
    post_only("applications:my_data_correction"),
    row("applications:list", office=200, department=200, other_department=200),
    row("applications:detail", {"pk": "applicant_a"}, logged_in=404, **SEES_A),
    post_only("applications:reveal_id_number", {"pk": "applicant_a"}),
    row(
        "applications:edit",
        {"pk": "applicant_a"},
        logged_in=404,
        office=200,
        applicant=200,
        department=403,
        # The department of sector A for award B does not see applicant A at all.
        department_b=404,
    ),
    row(
        "applications:eligibility", {"pk": "applicant_a"}, logged_in=404, office=200, applicant=200
    ),
    row("applications:records", {"pk": "applicant_a"}, office=200),
    post_only("applications:user_link", {"pk": "applicant_a"}),
    row(
        "applications:results",
        {"pk": "applicant_a"},
        logged_in=404,
        office=200,
        applicant=200,
        department=403,
        department_b=404,
    ),
    post_only("applications:record_withdraw", {"pk": "compliance_record"}),
    row("applications:lists", office=200),
    row("applications:history", office=200),
    row(
        "applications:history_template",
        {"kind": "=winners", "fmt": "=xlsx"},
        office=200,
    ),
    # --- calls (A14) ---------------------------------------------------------------------
    public("applications:public_calls"),
    public("applications:public_call", {"pk": "call"}),
    public("applications:call_template", {"pk": "call", "template_pk": "call_template"}),
    row("applications:call_manage", office=200),
    post_only("applications:call_create", {"cycle_pk": "cycle"}),
    row("applications:call_edit", {"pk": "call"}, office=200),
    post_only("applications:call_template_upload", {"pk": "call"}),
    post_only("applications:call_publish", {"pk": "call"}),
    # --- applications (A15) and the qualification review (A16) ----------------------------
    # Without an applicant the page says how to start.
    row("applications:mine", logged_in=200),
    post_only("applications:apply", {"pk": "call"}),
    row("applications:application", APP_A, logged_in=404, **SEES_A),
    post_only("applications:reveal_phone", APP_A),
    post_only("applications:application_section", {**APP_A, "section": "=form"}),
    post_only("applications:evidence_upload", APP_A),
    row(
        "applications:evidence_download",
        {**APP_A, "evidence_pk": "evidence"},
        logged_in=404,
        **SEES_A,
    ),
    post_only("applications:evidence_remove", {**APP_A, "evidence_pk": "evidence"}),
    post_only("applications:submit", APP_A),
    post_only("applications:withdraw", APP_A),
    row("applications:application_pdf", APP_A, logged_in=404, **SEES_A),
    row(
        "applications:supplement_pdf",
        {**APP_A, "supplement": "supplement_number"},
        logged_in=404,
        **SEES_A,
    ),
    post_only("applications:supplement", APP_A),
    row("applications:review_list", office=200, department=200, other_department=200),
    post_only("applications:review_pass", APP_A),
    post_only("applications:review_fail", APP_A),
    post_only("applications:review_supplement", APP_A),
    # --- agencies, experts, conflicts (A17, A25) -----------------------------------------
    # A coordinator of one agency is taken straight to it.
    row("evaluation:agencies", office=200, agency=302),
    row("evaluation:agency", {"pk": "agency_obj"}, logged_in=404, office=200, agency=200),
    row("evaluation:agency_edit", {"pk": "agency_obj"}, office=200),
    post_only("evaluation:coordinator_add", {"pk": "agency_obj"}),
    post_only("evaluation:coordinator_remove", {"pk": "coordinator"}),
    row("evaluation:procurement_new", {"pk": "agency_obj"}, office=200),
    row(
        "evaluation:procurement_document",
        {"pk": "procurement"},
        query={"id": "procurement_file"},
        logged_in=404,
        office=200,
        agency=200,
    ),
    row("evaluation:experts", office=200, agency=200, supervisor=200),
    row("evaluation:my_profile", expert=302, conflicted_expert=302),
    row(
        "evaluation:expert",
        {"pk": "expert_obj"},
        logged_in=404,
        office=200,
        agency=200,
        expert=200,
        supervisor=200,
    ),
    row(
        "evaluation:expert_edit",
        {"pk": "expert_obj"},
        logged_in=404,
        office=200,
        agency=200,
        expert=200,
        supervisor=403,
    ),
    post_only("evaluation:expert_status", {"pk": "expert_obj"}),
    post_only("evaluation:qualification_add", {"pk": "expert_obj"}),
    post_only("evaluation:qualification_remove", {"pk": "qualification"}),
    post_only("evaluation:employment_add", {"pk": "expert_obj"}),
    row(
        "evaluation:employment_edit",
        {"pk": "employment"},
        logged_in=404,
        office=200,
        agency=200,
        expert=200,
        supervisor=403,
    ),
    post_only("evaluation:declaration_add", {"pk": "conflicted_expert_obj"}),
    post_only("evaluation:declaration_withdraw", {"pk": "declaration"}),
    row("evaluation:conflicts", office=200, supervisor=200),
    post_only("evaluation:staff_conflict_end", {"pk": "staff_conflict"}),
    row("evaluation:groups", office=200),
    row("evaluation:group", {"pk": "group"}, office=200),
    post_only("evaluation:group_member_remove", {"pk": "group_member"}),
    # --- panels and scoring (A18): A's panel seats the expert, and the conflicted expert
    # who declared its interest after the assignment ---------------------------------------
    # Another award's cycle is looked up before the role is asked: 404 for award B's staff.
    row(
        "evaluation:cycle_panels",
        {"cycle_pk": "cycle"},
        office=200,
        agency=200,
        supervisor=200,
        working_group_b=404,
        department_b=404,
    ),
    post_only("evaluation:panels_assign", {"cycle_pk": "cycle"}),
    row("evaluation:cycle_results", {"cycle_pk": "cycle"}, office=200, supervisor=200),
    row(
        "evaluation:run_replay",
        {"pk": "run"},
        office=200,
        agency=200,
        supervisor=200,
        working_group_b=404,
        department_b=404,
    ),
    row("evaluation:panel", {"pk": "panel_a"}, logged_in=404, **PANEL_A),
    post_only("evaluation:member_add", {"pk": "panel_a"}),
    post_only("evaluation:panel_schedule", {"pk": "panel_a"}),
    post_only("evaluation:panel_checks", {"pk": "panel_a"}),
    row("evaluation:consensus", {"pk": "panel_a"}, logged_in=404, **PANEL_A),
    post_only("evaluation:member_remove", {"pk": "member_a"}),
    post_only("evaluation:member_replace", {"pk": "member_a"}),
    row("evaluation:my_assignments", logged_in=404, expert=200, conflicted_expert=200),
    row("evaluation:member", {"pk": "member_a"}, logged_in=404, expert=200),
    post_only("evaluation:member_confirm", {"pk": "member_a"}),
    post_only("evaluation:member_scores", {"pk": "member_a"}),
    post_only("evaluation:member_submit", {"pk": "member_a"}),
    row(
        "evaluation:evidence_read",
        {**APP_A, "evidence_pk": "evidence"},
        logged_in=404,
        office=200,
        expert=200,
    ),
]

ROWS += [
    # --- decisions (A19-A23): public pages, the office's cycle page, POST-only steps -------
    public("decisions:public_results", {"cycle_pk": "cycle"}),
    public("decisions:public_comment", {"cycle_pk": "cycle"}),
    public("decisions:public_publicity", {"pk": "publicity"}),
    public("decisions:public_objection", {"pk": "publicity"}),
    public("decisions:archive"),
    public("decisions:verify_lookup"),
    public("decisions:verify", {"serial": "=QA-NO-SUCH-SERIAL"}, status=404),
    row("decisions:cycle", {"cycle_pk": "cycle"}, logged_in=404, **DECISION_READERS),
    *[
        post_only(f"decisions:{name}", {"cycle_pk": "cycle"})
        for name in (
            "results_publish",
            "results_close",
            "propose",
            "publicity_publish",
            "approval",
            "awards_issue",
        )
    ],
    # What the public sends in (a comment's or an objection's evidence) is read by the
    # office only, as the public forms say; the working group and the supervisor read the
    # meeting, its signed minutes and the certificates.
    post_only("decisions:comment_moderate", {"pk": "comment"}),
    row("decisions:comment_evidence", {"pk": "comment"}, logged_in=404, office=200),
    post_only("decisions:meeting_schedule", {"list_pk": "candidate_list"}),
    row("decisions:meeting", {"pk": "meeting"}, logged_in=404, **DECISION_READERS),
    row("decisions:minutes_file", {"pk": "meeting"}, logged_in=404, **DECISION_READERS),
    *[
        post_only(f"decisions:{name}", {"pk": "meeting"})
        for name in (
            "meeting_attendance",
            "meeting_recusal",
            "meeting_vote",
            "meeting_minutes",
            "meeting_decide",
        )
    ],
    post_only("decisions:objection_decide", {"pk": "objection"}),
    post_only("decisions:cancellation_schedule", {"pk": "objection"}),
    row(
        "decisions:objection_evidence",
        {"pk": "objection", "file_pk": "objection_file"},
        logged_in=404,
        office=200,
    ),
    post_only("decisions:plaque_deliver", AWARD_A),
    # A's certificate is also downloaded by A's users, from their award page.
    row("decisions:certificate", AWARD_A, logged_in=404, applicant=200, **DECISION_READERS),
    # --- supervision after the award (A24, A28-A33): A's award is seen by the office and
    # the supervisor, A's users and the department of A's sector; its money by A's users,
    # its visits by the department -------------------------------------------------------
    # An applicant sees its own awards here, or that it has none yet.
    row(
        "supervision:winners",
        logged_in=404,
        applicant=200,
        other_applicant=200,
        **WINNER_LIST,
    ),
    row("supervision:award", AWARD_A, logged_in=404, **SEES_AWARD_A),
    row("supervision:funds", AWARD_A, logged_in=404, **FUNDS_A),
    post_only("supervision:fund_submit", {**AWARD_A, "year": "budget_year"}),
    post_only("supervision:fund_rate", AWARD_A),
    row("supervision:visits", AWARD_A, logged_in=404, **SUPERVISION_READERS, department=200),
    row("supervision:honour", AWARD_A, logged_in=404, **FUNDS_A),
    # The evidence of A's expense: whoever sees A's fund-use reports.
    row("supervision:file", {"file_id": "expense_file"}, logged_in=404, **FUNDS_A),
    row("supervision:cases", logged_in=404, **SUPERVISION_READERS),
    row("supervision:case", {"pk": "case"}, logged_in=404, **SUPERVISION_READERS),
    *[
        post_only(f"supervision:{name}", {"pk": "case"})
        for name in ("case_evidence", "case_decide", "case_publish", "case_close")
    ],
    # The case is not decided: it has no return item yet.
    post_only("supervision:return_item", {"pk": "=1"}),
    row("supervision:misuse", logged_in=404, **SUPERVISION_READERS),
    post_only("supervision:misuse_close", {"pk": "=1"}),
    row("supervision:statistics", logged_in=404, **SUPERVISION_READERS),
    row("supervision:statistics_export", {"pk": "cycle"}, logged_in=404, **SUPERVISION_READERS),
    post_only("supervision:cycle_close", {"pk": "cycle"}),
    public("supervision:public_revocations"),
]

ROWS += [
    # --- background exports of a cycle ------------------------------------------------------
    # As built: the working group gets the score sheets, the supervisor does not (reported).
    row("exports:score_sheets", {"cycle_pk": "cycle"}, office=200, working_group=200),
    row("exports:archive", {"cycle_pk": "cycle"}, **SUPERVISION_READERS),
    row("exports:reports", {"cycle_pk": "cycle"}, office=200),
    # The office's finished score sheets: its own; the working group, which may ask for
    # score sheets too, does not see another user's export.
    row("exports:status", {"pk": "export"}, logged_in=404, office=200),
    row("exports:download", {"pk": "export"}, logged_in=404, office=200),
    # --- the audit trail (supervisor reads, office reads) ---------------------------------
    row("core:audit", office=200, supervisor=200),
    post_only("core:audit_verify"),
    # --- evaluation reports and oversight (A18, A26, A27) ---------------------------------
    # The feedback report: the office and the supervisor read it; the applicant reads its
    # feedback page, and the PDF once the results are published (as in the scenario; the
    # refusal before is tests/evaluation/test_reports.py's).
    row("evaluation:report_pdf", APP_A, logged_in=404, office=200, supervisor=200, applicant=200),
    row("evaluation:application_feedback", APP_A, logged_in=404, applicant=200),
    # The applicant's rating of an expert: the seat is looked up before the method.
    row("evaluation:member_rate", {"pk": "member_a"}, logged_in=404),
    row("evaluation:oversight", office=200, supervisor=200),
    post_only("evaluation:misconduct_new"),
    row("evaluation:leniency", office=200, supervisor=200),
    row("evaluation:leniency_expert", {"pk": "expert_obj"}, office=200, supervisor=200),
    # --- API of evaluation and decisions --------------------------------------------------
    row("api:evaluation_assignments", anonymous=403, logged_in=200),
    row("api:evaluation_scores", {"pk": "member_a"}, anonymous=403, logged_in=405),
    row(
        "api:evaluation_results",
        {"pk": "cycle"},
        anonymous=403,
        logged_in=403,
        office=200,
        supervisor=200,
    ),
    public("api:decisions_public_results", {"cycle_id": "cycle"}),
    public("api:decisions_verify", {"serial": "=QA-NO-SUCH-SERIAL"}, status=404),
    row(
        "api:decisions_ranking",
        {"cycle_id": "cycle"},
        anonymous=403,
        logged_in=404,
        **DECISION_READERS,
    ),
    row(
        "api:decisions_meeting_votes",
        {"pk": "meeting"},
        anonymous=403,
        logged_in=404,
        **DECISION_READERS,
    ),
]

MATRIX: dict[str, Row] = {}
for _row in ROWS:
    if _row.name in MATRIX:
        raise ValueError(f"two rows for {_row.name}")
    MATRIX[_row.name] = _row
