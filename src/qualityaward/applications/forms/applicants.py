"""Sign-up and profile forms. They check what the user typed and show clear messages;
the services check again and do the writing."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualityaward.accounts.forms import PrivacyConsentForm

from ..enums import Area, OwnershipType, Sector
from ..models import Individual, Organisation
from ..models.applicants import id_number_index
from ..validators import (
    NAME_MAX_LENGTH,
    clean_name,
    normalise_credit_code,
    validate_credit_code,
    validate_id_number,
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_NAME = forms.TextInput(attrs={"maxlength": NAME_MAX_LENGTH})


def _choices(enum) -> list[tuple[str, str]]:
    return [("", "---------"), *enum.choices]


class AccountFields(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only; you log in with it."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        user_model = get_user_model()
        user_model.username_validator(username)
        if user_model.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is taken: choose another."))
        return username

    def clean(self):
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user_model = get_user_model()
            try:
                validate_password(first, user_model(username=data.get("username", "")))
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class OrganisationFields(forms.Form):
    name = forms.CharField(label=_("Legal name"), widget=_NAME)
    registered_address = forms.CharField(label=_("Registered address"), max_length=300)
    in_jurisdiction = forms.BooleanField(
        label=_("The organisation is registered in the city"),
        help_text=_("Only organisations registered in the city may apply (Article 10(1))."),
        error_messages={"required": _("Only organisations registered in the city may apply.")},
    )
    established_on = forms.DateField(label=_("Date of establishment"), widget=_DATE)
    ownership = forms.ChoiceField(label=_("Ownership type"), choices=_choices(OwnershipType))
    sector = forms.ChoiceField(label=_("Sector"), choices=_choices(Sector))
    area = forms.ChoiceField(label=_("Area"), choices=_choices(Area))
    is_for_profit = forms.TypedChoiceField(
        label=_("Business"),
        choices=[("1", _("For-profit")), ("0", _("Non-profit"))],
        coerce=lambda value: value == "1",
    )

    def clean_name(self) -> str:
        return clean_name(self.cleaned_data["name"])

    def clean_established_on(self):
        day = self.cleaned_data["established_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date of establishment cannot be in the future."))
        return day


class OrganisationRegisterForm(OrganisationFields, PrivacyConsentForm):
    """A new organisation attached to the account that is logged in."""

    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        help_text=_("18 characters, as on the business licence."),
    )

    field_order = [
        "credit_code",
        "name",
        "registered_address",
        "in_jurisdiction",
        "established_on",
        "ownership",
        "sector",
        "area",
        "is_for_profit",
    ]

    def clean_credit_code(self) -> str:
        code = validate_credit_code(self.cleaned_data["credit_code"])
        if Organisation.objects.filter(credit_code=code).exists():
            raise ValidationError(
                _(
                    "An organisation with this credit code is already registered. Ask the "
                    "colleague who registered it, or the office, for access."
                )
            )
        return code

    def profile(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in (*OrganisationFields.base_fields, "credit_code")}


class OrganisationSignupForm(AccountFields, OrganisationRegisterForm):
    """A new account and its organisation, for a visitor who has no account."""

    contact_name = forms.CharField(label=_("Contact person"), max_length=100, required=False)

    field_order = [
        *OrganisationRegisterForm.field_order,
        "contact_name",
        "username",
        "email",
        "password1",
        "password2",
    ]


class OrganisationProfileForm(OrganisationFields):
    pass


class IndividualFields(forms.Form):
    name = forms.CharField(label=_("Name"), widget=_NAME)
    employer_code = forms.CharField(
        label=_("Employer's credit code"),
        max_length=40,
        required=False,
        help_text=_("If your employer is registered here, its credit code links you to it."),
    )
    employer_name = forms.CharField(
        label=_("Employer"),
        widget=_NAME,
        required=False,
        help_text=_("Otherwise, the employer's name."),
    )
    position = forms.CharField(label=_("Position"), max_length=100)
    is_top_manager = forms.BooleanField(
        label=_("I am the top manager of my employer"), required=False
    )
    quality_work_since = forms.IntegerField(
        label=_("Quality work in the city since (year)"), min_value=1950
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=_choices(Sector))
    area = forms.ChoiceField(label=_("Area"), choices=_choices(Area))

    def clean_name(self) -> str:
        return clean_name(self.cleaned_data["name"])

    def clean_employer_name(self) -> str:
        value = self.cleaned_data["employer_name"]
        return clean_name(value) if value.strip() else ""

    def clean_quality_work_since(self) -> int:
        year = self.cleaned_data["quality_work_since"]
        if year > timezone.localdate().year:
            raise ValidationError(_("The year cannot be in the future."))
        return year

    def clean_employer_code(self) -> Organisation | None:
        value = self.cleaned_data["employer_code"]
        if not value.strip():
            return None
        code = validate_credit_code(value)
        employer = Organisation.objects.filter(credit_code=normalise_credit_code(code)).first()
        if employer is None:
            raise ValidationError(
                _("No organisation with this credit code is registered: enter its name instead.")
            )
        return employer

    def clean(self):
        data = super().clean() or {}
        if (
            not data.get("employer_code")
            and not data.get("employer_name")
            and not (self.has_error("employer_code") or self.has_error("employer_name"))
        ):
            self.add_error("employer_name", _("Enter the employer's credit code or its name."))
        return data

    def profile(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "employer": data["employer_code"],
            "employer_name": "" if data["employer_code"] else data["employer_name"],
            "position": data["position"].strip(),
            "is_top_manager": data["is_top_manager"],
            "quality_work_since": data["quality_work_since"],
            "sector": data["sector"],
            "area": data["area"],
        }


class IndividualRegisterForm(IndividualFields, PrivacyConsentForm):
    """The person registering themselves, attached to the account that is logged in."""

    id_number = forms.CharField(
        label=_("Resident identity number"),
        max_length=40,
        help_text=_("18 characters, as on the identity card. Only the office sees it in full."),
    )

    field_order = [
        "name",
        "id_number",
        "employer_code",
        "employer_name",
        "position",
        "is_top_manager",
        "quality_work_since",
        "sector",
        "area",
    ]

    def clean_id_number(self) -> str:
        number = validate_id_number(self.cleaned_data["id_number"])
        if Individual.objects.filter(id_number_index=id_number_index(number)).exists():
            raise ValidationError(
                _("A person with this identity number is already registered. Ask the office.")
            )
        return number

    def profile(self) -> dict:
        return {**super().profile(), "id_number": self.cleaned_data["id_number"]}


class IndividualSignupForm(AccountFields, IndividualRegisterForm):
    """A new account and the person, for a visitor who has no account."""

    field_order = [
        *IndividualRegisterForm.field_order,
        "username",
        "email",
        "password1",
        "password2",
    ]


class ApplicantUserLinkForm(forms.Form):
    """The office gives an existing account access to an applicant, after checking the
    person's authority in the office (business licence, letter of authorisation)."""

    username = forms.CharField(label=_("Username of the account"), max_length=150)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise ValidationError(_("No active account has this username."))
        return user


class IndividualProfileForm(IndividualFields):
    pass
