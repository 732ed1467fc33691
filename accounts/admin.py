from axes.utils import reset as axes_reset
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Membership, Organization, User
from accounts.roles import StaffAccountProtection
from accounts.services import invitation_send
from tickets.admin.queues import ticket_list_link
from tickets.models import Ticket
from tickets.selectors import open_ticket_count


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organization"]


class OrganizationMemberInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class UniqueEmailMixin:
    """Reject an e-mail address that another user has in any letter case.

    The database enforces the same rule with the constraint
    accounts_user_email_ci_unique, but its error only names the constraint.
    """

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        existing = others.first()
        if existing is not None:
            raise forms.ValidationError(
                _(
                    "A user with the e-mail address %(email)s already exists. "
                    "Addresses that differ only in upper and lower case count "
                    "as the same."
                ),
                code="unique",
                params={"email": existing.email},
            )
        return email


class InvitationForm(UniqueEmailMixin, forms.ModelForm):
    """Add a user without a password: they choose it through the invitation."""

    class Meta:
        model = User
        fields = ["email", "full_name", "language", "time_zone"]

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.email = User.objects.normalize_email(user.email).lower()
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class UserEditForm(UniqueEmailMixin, UserChangeForm):
    """The change form of a user, with the case-insensitive e-mail check."""


@admin.register(User)
class UserAdmin(StaffAccountProtection, BaseUserAdmin):
    """Users in the admin. Nobody sets or sees another person's password here.

    New users get an invitation e-mail and choose their password themselves;
    a forgotten password is reset by the user through the e-mail link.
    """

    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "is_staff",
        "is_active",
        "language",
        "invited_at",
        "last_login",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    actions = ["send_invitation", "unlock_sign_in"]
    form = UserEditForm
    add_form = InvitationForm
    fieldsets = [
        (None, {"fields": ["email"]}),
        (_("Personal details"), {"fields": ["full_name", "language", "time_zone"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined", "invited_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "language", "time_zone"],
                "description": _(
                    "The new user receives an invitation e-mail with a link to "
                    "choose their password."
                ),
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined", "invited_at"]
    change_form_template = "admin/accounts/user/change_form.html"

    def get_urls(self):
        urls = [
            path(
                "<int:user_id>/invite/",
                self.admin_site.admin_view(self.resend_invitation_view),
                name="accounts_user_invite",
            )
        ]
        return urls + super().get_urls()

    def resend_invitation_view(
        self, request: HttpRequest, user_id: int
    ) -> HttpResponse:
        """Send the invitation again from the user's change page (POST only)."""
        user = get_object_or_404(User, pk=user_id)
        if request.method != "POST" or not self.has_change_permission(request, user):
            raise PermissionDenied("Sending invitations needs the change permission.")
        if user.has_usable_password() or not user.is_active:
            self.message_user(
                request,
                _(
                    "%(email)s already has a password or is inactive, so no "
                    "invitation was sent. They can reset the password on the login page."
                )
                % {"email": user.email},
                messages.WARNING,
            )
        else:
            invitation_send(user=user)
            self.message_user(
                request,
                _(
                    "A new invitation e-mail was sent to %(email)s. The earlier link no longer works."
                )
                % {"email": user.email},
                messages.SUCCESS,
            )
        return redirect("admin:accounts_user_change", user.pk)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_invite"] = bool(
            obj is not None and obj.is_active and not obj.has_usable_password()
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = ""):
        raise PermissionDenied("Users choose their passwords themselves.")

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            invitation_send(user=obj)
            self.message_user(
                request,
                _("An invitation e-mail was sent to %(email)s.") % {"email": obj.email},
                messages.SUCCESS,
            )

    @admin.action(description=_("Send invitation e-mail"), permissions=["change"])
    def send_invitation(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        invited = 0
        skipped = 0
        with transaction.atomic():
            for user in queryset:
                if user.has_usable_password() or not user.is_active:
                    skipped += 1
                    continue
                invitation_send(user=user)
                invited += 1
        if invited:
            self.message_user(
                request,
                ngettext(
                    "Sent %(count)d invitation. Earlier links of these users no longer work.",
                    "Sent %(count)d invitations. Earlier links of these users no longer work.",
                    invited,
                )
                % {"count": invited},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d user was skipped: inactive, or already has a password "
                    "(they can reset it on the login page).",
                    "%(count)d users were skipped: inactive, or already have a password "
                    "(they can reset it on the login page).",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(
        description=_("Unlock sign-in after failed attempts"), permissions=["change"]
    )
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        unlocked = 0
        for user in queryset:
            unlocked += axes_reset(username=user.email)
        self.message_user(
            request,
            ngettext(
                "Removed %(count)d record of failed sign-in attempts.",
                "Removed %(count)d records of failed sign-in attempts.",
                unlocked,
            )
            % {"count": unlocked},
            messages.SUCCESS,
        )


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """A client company with its members and a window on its tickets."""

    list_display = ["name", "member_count", "open_tickets", "created_at"]
    search_fields = ["name"]
    inlines = [OrganizationMemberInline]
    fields = ["name", "tickets_overview", "private_projects", "created_at"]
    readonly_fields = ["tickets_overview", "private_projects", "created_at"]

    # Ticket rows shown on an organization's page; the ticket list has the rest.
    RECENT_TICKETS = 10

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organization]:
        # Subqueries count per row; joining members and tickets at once
        # would multiply the rows.
        members = (
            Membership.objects.filter(organization=OuterRef("pk"))
            .order_by()
            .values("organization")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_total=Coalesce(Subquery(members), 0),
                open_ticket_total=open_ticket_count(outer_field="organization"),
            )
        )

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, organization: Organization) -> int:
        return organization.member_total

    @admin.display(description=_("open tickets"), ordering="open_ticket_total")
    def open_tickets(self, organization: Organization) -> str:
        return ticket_list_link(
            organization.open_ticket_total,
            organization__id__exact=organization.pk,
            state="open",
        )

    @admin.display(description=_("tickets"))
    def tickets_overview(self, organization: Organization) -> str:
        if organization.pk is None:
            return "–"
        tickets = list(
            Ticket.objects.filter(organization=organization)
            .select_related("project")
            .order_by("-updated_at", "-pk")[: self.RECENT_TICKETS]
        )
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> {} ({})</li>',
            (
                (
                    reverse("admin:tickets_ticket_change", args=[ticket.pk]),
                    ticket.key,
                    ticket.summary,
                    ticket.get_status_display(),
                )
                for ticket in tickets
            ),
        )
        return format_html(
            '<ul class="ws-org-tickets">{}</ul>{}',
            rows,
            ticket_list_link(
                _("All tickets shared with this organization"),
                organization__id__exact=organization.pk,
            ),
        )

    @admin.display(description=_("projects only for selected organizations"))
    def private_projects(self, organization: Organization) -> str:
        if organization.pk is None:
            return "–"
        names = organization.projects.filter(is_public=False).values_list(
            "name", flat=True
        )
        return ", ".join(names) or "–"
