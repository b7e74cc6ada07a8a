from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qualityaward.rulesets.models import RuleSet

from .enums import Role
from .models import User
from .scoping import awards_of, grantable_awards


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def clean_new_password1(self):
        password = self.cleaned_data["new_password1"]
        if self.user.check_password(password):
            raise forms.ValidationError(
                _("Choose a password different from the current one."), code="password_reused"
            )
        return password


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code of your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "text"}
        ),
    )


class SecurityLogFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    user = forms.CharField(label=_("User (username)"), required=False, max_length=150)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *kinds]  # type: ignore[attr-defined]


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Username or name"), required=False, max_length=150)


class PrivacyConsentForm(forms.Form):
    """The tick that accepts the privacy notice in force (PIPL articles 14 and 17)."""

    privacy_accepted = forms.BooleanField(
        error_messages={
            "required": _(
                "Tick the box to accept the privacy notice: without it your personal data "
                "cannot be processed and you cannot go on."
            )
        }
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["privacy_accepted"]
        field.label = gettext("I have read and accept the privacy notice (version %(version)s)") % {
            "version": settings.QA_PRIVACY_NOTICE_VERSION
        }
        field.help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("portal:privacy"),
            gettext("Read the privacy notice"),
        )


class RoleGrantForm(forms.Form):
    """The office grants a role to an account, for one award or (site-wide office
    only) for every award."""

    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    award = forms.ModelChoiceField(
        label=_("Award"), queryset=RuleSet.objects.none(), required=False
    )
    sector = forms.CharField(label=_("Sector (departments)"), max_length=100, required=False)
    area = forms.CharField(label=_("Area (departments)"), max_length=100, required=False)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        award = cast(forms.ModelChoiceField, self.fields["award"])
        award.queryset = grantable_awards(office)
        if awards_of(office, [Role.OFFICE]) is None:
            award.empty_label = gettext("Every award")
        else:
            award.required = True

    def clean_username(self) -> User:
        user = User.objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise forms.ValidationError(_("No account has this username."), code="no_user")
        return user
