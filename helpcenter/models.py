from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User


class TicketType(models.TextChoices):
    BUG = "bug", _("Bug")
    QUESTION = "question", _("Question")
    TASK = "task", _("Task")
    SERVICE_REQUEST = "service_request", _("Service Request")


project_key_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{1,9}$",
    _("Use 2 to 10 upper-case letters or digits, starting with a letter, e.g. NET."),
)


class ProjectQuerySet(models.QuerySet["Project"]):
    def visible_to(self, user: User) -> "ProjectQuerySet":
        """Return the active projects a user may open requests in."""
        projects = self.filter(is_active=True)
        if user.is_staff:
            return projects
        if not user.is_authenticated:
            return projects.none()
        return projects.filter(
            Q(is_public=True) | Q(organizations__in=user.organizations.all())
        ).distinct()


class Project(models.Model):
    """A support project: a product category or a customer-specific project."""

    key = models.CharField(
        _("key"), max_length=10, unique=True, validators=[project_key_validator]
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(
        _("visible to all customers"),
        default=True,
        help_text=_("Otherwise only members of the chosen organizations see it."),
    )
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="projects",
        verbose_name=_("organizations"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The number of the most recent ticket; the next ticket takes this plus one.
    last_ticket_number = models.PositiveIntegerField(default=0, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"

    def get_absolute_url(self) -> str:
        return reverse("helpcenter:project-detail", kwargs={"project_key": self.key})


class Version(models.Model):
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("project"),
    )
    name = models.CharField(_("name"), max_length=50)
    is_released = models.BooleanField(_("released"), default=True)
    released_on = models.DateField(_("release date"), null=True, blank=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["project", "-released_on", "-name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="helpcenter_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Component(models.Model):
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="components",
        verbose_name=_("project"),
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="helpcenter_component_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RequestType(models.Model):
    """A form a project offers, such as "Report a bug", with one ticket type."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="request_types",
        verbose_name=_("project"),
    )
    slug = models.SlugField(_("URL name"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=20, choices=TicketType.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("request type")
        verbose_name_plural = _("request types")
        ordering = ["project", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "slug"], name="helpcenter_requesttype_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "helpcenter:request-create",
            kwargs={"project_key": self.project.key, "request_type": self.slug},
        )
