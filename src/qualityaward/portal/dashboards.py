"""What each role's dashboard shows, gathered in one place per role."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualityaward.accounts.enums import Role
from qualityaward.cycles.selectors import open_cycles_with_timelines

from .next_steps import next_steps

# The pages each role works in, shown as shortcuts on its dashboard.
SHORTCUTS = {
    Role.OFFICE: [
        (_("Cycles and timelines"), "cycles:list"),
        (_("Calls for applications"), "applications:call_manage"),
        (_("Qualification review"), "applications:review_list"),
        (_("Applicants"), "applications:list"),
        (_("Abnormal-operations and dishonesty lists"), "applications:lists"),
        (_("Evaluation agencies"), "evaluation:agencies"),
        (_("Expert pool"), "evaluation:experts"),
        (_("Conflicts of interest"), "evaluation:conflicts"),
        (_("Winners, fund use and follow-up"), "supervision:winners"),
        (_("Revocation cases"), "supervision:cases"),
        (_("Misuse and forgery reports"), "supervision:misuse"),
        (_("Statistics"), "supervision:statistics"),
        (_("Rule sets"), "rulesets:index"),
        (_("Working-day calendar"), "workdays:calendar"),
    ],
    Role.WORKING_GROUP: [(_("Cycles and timelines"), "cycles:list")],
    Role.AGENCY: [
        (_("My agency"), "evaluation:agencies"),
        (_("Expert pool"), "evaluation:experts"),
        (_("Cycles and timelines"), "cycles:list"),
    ],
    Role.EXPERT: [
        (_("My assignments"), "evaluation:my_assignments"),
        (_("My profile and declarations"), "evaluation:my_profile"),
    ],
    Role.APPLICANT: [
        (_("My applications"), "applications:mine"),
        (_("My registration"), "applications:profile"),
        (_("Open calls"), "applications:public_calls"),
        (_("Awards, fund use and honour usage"), "supervision:winners"),
    ],
    Role.DEPARTMENT: [
        (_("Applicants in my sector or area"), "applications:list"),
        (_("Qualification review"), "applications:review_list"),
        (_("Winners and follow-up visits"), "supervision:winners"),
    ],
    Role.SUPERVISOR: [
        (_("Cycles and timelines"), "cycles:list"),
        (_("Expert pool"), "evaluation:experts"),
        (_("Conflicts of interest"), "evaluation:conflicts"),
        (_("Winners, fund use and follow-up"), "supervision:winners"),
        (_("Revocation cases"), "supervision:cases"),
        (_("Statistics"), "supervision:statistics"),
        (_("Rule sets"), "rulesets:index"),
    ],
}


def dashboard_context(role: Role, user) -> dict:
    today = timezone.localdate()
    context: dict = {}
    cycles = None
    if role == Role.OFFICE:
        # Read once: the office's next steps come from the same timelines.
        cycles = open_cycles_with_timelines(user=user, role=Role.OFFICE, today=today)
        context["cycles"] = cycles
    steps = next_steps(role, user, today, office_cycles=cycles)
    context["overdue_steps"] = [step for step in steps if step.overdue]
    context["current_steps"] = [step for step in steps if not step.overdue]
    context["shortcuts"] = [(label, reverse(name)) for label, name in SHORTCUTS.get(role, [])]
    return context
