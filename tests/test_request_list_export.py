"""CSV export and saved filters of the requests overview, for every persona."""

import csv
import io
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tickets.export import neutralize_formula
from tickets.models import SavedFilter, Status
from tickets.services import ticket_create

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("tickets:export")
LIST_URL = reverse("tickets:list")


def export(client, **params):
    response = client.get(f"{EXPORT_URL}?{urlencode(params, doseq=True)}")
    return response


def export_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.fixture
def beta_ticket(outsider, request_type):
    return ticket_create(
        reporter=outsider,
        request_type=request_type,
        summary="Beta forklift dashboard crashes",
        organization=outsider.organizations.get(),
    )


# Export


@pytest.mark.parametrize(
    "persona, listed",
    {"reporter": True, "colleague": True, "outsider": False, "agent": True}.items(),
)
def test_export_by_persona(personas, shared_ticket, beta_ticket, persona, listed):
    response = export(personas[persona], scope="all")

    assert response.status_code == 200
    keys = [row[0] for row in export_rows(response)[1:]]
    assert (shared_ticket.key in keys) is listed


def test_export_redirects_anonymous(personas):
    response = personas["anonymous"].get(EXPORT_URL)

    assert response.status_code == 302


def test_export_is_streamed_csv_with_dated_name(personas, ticket):
    response = export(personas["reporter"])

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    filename = f"requests-{timezone.localdate().isoformat()}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_export_has_all_pages_in_list_order(personas, make_ticket):
    tickets = [make_ticket(summary=f"Row {index:02d}") for index in range(30)]

    response = export(personas["reporter"], sort="summary", per_page=10, page=2)
    rows = export_rows(response)

    assert rows[0] == ["Key", "Summary", "Status", "Priority", "Project", "Updated"]
    assert [row[1] for row in rows[1:]] == [ticket.summary for ticket in tickets]


def test_export_uses_chosen_columns(personas, ticket):
    rows = export_rows(
        export(personas["reporter"], columns=["reporter", "organization"])
    )

    assert rows[0] == ["Key", "Reporter", "Shared with"]
    assert rows[1] == [ticket.key, "Clara Customer", ""]


def test_export_rows_keep_user_settings(personas, reporter, ticket):
    reporter.language = "de"
    reporter.time_zone = "Asia/Tokyo"
    reporter.save(update_fields=["language", "time_zone"])
    ticket.refresh_from_db()

    response = export(personas["reporter"], columns=["status", "updated"])
    # The rows are made while the body is read, after the view returned.
    rows = export_rows(response)

    tokyo = ticket.updated_at.astimezone(ZoneInfo("Asia/Tokyo"))
    with translation.override("de"):
        status = str(Status.OPEN.label)
    assert rows[0] == ["Nummer", "Status", "Aktualisiert"]
    assert rows[1] == [ticket.key, status, tokyo.strftime("%Y-%m-%d %H:%M")]


def test_export_keeps_umlauts(personas, make_ticket):
    make_ticket(summary="Größenänderung schlägt fehl")

    response = export(personas["reporter"], columns=["summary"])
    body = b"".join(response.streaming_content)

    assert body.startswith(b"\xef\xbb\xbf")
    assert "Größenänderung schlägt fehl".encode() in body


@pytest.mark.parametrize(
    "summary", ["=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]
)
def test_export_neutralizes_formulas(personas, make_ticket, summary):
    make_ticket(summary=summary)

    rows = export_rows(export(personas["reporter"], columns=["summary"]))

    assert rows[1][1] == "'" + summary


def test_neutralize_formula_keeps_plain_text():
    assert neutralize_formula("Plain text") == "Plain text"
    assert neutralize_formula("") == ""
    assert neutralize_formula("a=b") == "a=b"


def test_export_of_foreign_organization_is_rejected(personas, shared_ticket, alpha):
    response = export(personas["outsider"], scope="organization", organization=alpha.pk)

    assert response.status_code == 400
    assert shared_ticket.summary.encode() not in response.content


def test_export_search_respects_access_rule(personas, shared_ticket, beta_ticket):
    response = export(personas["outsider"], scope="all", q="Reports totals")

    assert export_rows(response)[1:] == []


# Saved filters


def save(client, name: str, query_string: str):
    return client.post(
        reverse("tickets:saved-filter-add"),
        {"name": name, "query_string": query_string},
    )


def test_save_filter_stores_canonical_state(personas, reporter):
    response = save(
        personas["reporter"],
        "Open bugs",
        "scope=all&q=crash&status_group=open&sort=-priority&columns=status&page=3&evil=1",
    )

    saved = SavedFilter.objects.get(user=reporter)
    assert response.status_code == 302
    assert saved.name == "Open bugs"
    assert "evil" not in saved.query_string
    assert "&page=" not in saved.query_string
    for part in ["scope=all", "q=crash", "status_group=open", "sort=-priority"]:
        assert part in saved.query_string
    assert "columns=key&columns=status" in saved.query_string


def test_saved_filter_is_listed_and_runs(personas, reporter):
    save(personas["reporter"], "My crashes", "scope=all&q=crash")
    saved = SavedFilter.objects.get(user=reporter)

    page = personas["reporter"].get(LIST_URL).content.decode()
    run = personas["reporter"].get(reverse("tickets:saved-filter-run", args=[saved.pk]))

    assert "My crashes" in page
    assert run.status_code == 302
    assert run["Location"] == f"{LIST_URL}?{saved.query_string}"


def test_saved_filter_names_are_unique_per_user(personas, reporter, colleague):
    save(personas["reporter"], "Mine", "scope=all")
    save(personas["reporter"], "Mine", "scope=mine")
    save(personas["colleague"], "Mine", "scope=all")

    assert SavedFilter.objects.filter(user=reporter).count() == 1
    assert SavedFilter.objects.filter(user=colleague).count() == 1


def test_saved_filter_rename_and_delete(personas, reporter):
    save(personas["reporter"], "Old name", "scope=all")
    saved = SavedFilter.objects.get(user=reporter)
    client = personas["reporter"]

    client.post(
        reverse("tickets:saved-filter-rename", args=[saved.pk]), {"name": "New name"}
    )
    saved.refresh_from_db()
    renamed = saved.name
    client.post(reverse("tickets:saved-filter-delete", args=[saved.pk]))

    assert renamed == "New name"
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


@pytest.mark.parametrize("persona", ["colleague", "outsider", "agent"])
def test_saved_filter_of_another_user_is_not_found(personas, reporter, persona):
    save(personas["reporter"], "Private", "scope=all")
    saved = SavedFilter.objects.get(user=reporter)
    client = personas[persona]

    run = client.get(reverse("tickets:saved-filter-run", args=[saved.pk]))
    rename = client.post(
        reverse("tickets:saved-filter-rename", args=[saved.pk]), {"name": "Taken"}
    )
    delete = client.post(reverse("tickets:saved-filter-delete", args=[saved.pk]))

    assert run.status_code == 404
    assert rename.status_code == 404
    assert delete.status_code == 404
    saved.refresh_from_db()
    assert saved.name == "Private"


def test_saved_filter_is_not_listed_for_others(personas, reporter):
    save(personas["reporter"], "Clara's list", "scope=all")

    page = personas["colleague"].get(LIST_URL).content.decode()

    assert "Clara&#x27;s list" not in page
    assert "Clara's list" not in page


def test_saved_filter_needs_login(personas, reporter):
    save(personas["reporter"], "Private", "scope=all")
    saved = SavedFilter.objects.get(user=reporter)

    run = personas["anonymous"].get(
        reverse("tickets:saved-filter-run", args=[saved.pk])
    )
    add = save(personas["anonymous"], "Sneaky", "scope=all")

    assert run.status_code == 302
    assert add.status_code == 302
    assert SavedFilter.objects.count() == 1


def test_saving_a_list_with_invalid_filters_is_rejected(personas, outsider, alpha):
    response = personas["outsider"].post(
        reverse("tickets:saved-filter-add"),
        {"name": "Peek", "query_string": f"scope=organization&organization={alpha.pk}"},
        follow=True,
    )

    assert not SavedFilter.objects.filter(user=outsider).exists()
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "This list has invalid filters. Correct the marked filters, then save it."
    ]


@pytest.mark.parametrize("query_string", ["q=a\x00b", "q=" + "x" * 16_001])
def test_saving_a_malformed_list_names_the_address(personas, reporter, query_string):
    response = personas["reporter"].post(
        reverse("tickets:saved-filter-add"),
        {"name": "Odd", "query_string": query_string},
        follow=True,
    )

    assert not SavedFilter.objects.filter(user=reporter).exists()
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "This list could not be saved: its address is invalid or too long."
    ]


def test_outsider_saved_filter_for_foreign_organization_shows_nothing(
    personas, outsider, shared_ticket, alpha
):
    # A filter saved while the outsider was still a member of Alpha.
    saved = SavedFilter.objects.create(
        user=outsider,
        name="Peek",
        query_string=f"scope=organization&organization={alpha.pk}",
    )

    response = personas["outsider"].get(f"{LIST_URL}?{saved.query_string}")
    csv_response = personas["outsider"].get(f"{EXPORT_URL}?{saved.query_string}")

    assert response.status_code == 400
    assert shared_ticket.summary not in response.content.decode()
    assert csv_response.status_code == 400


def test_saved_filter_applies_access_rule_when_run(
    personas, colleague, alpha, shared_ticket
):
    save(personas["colleague"], "Alpha", f"scope=organization&organization={alpha.pk}")
    saved = SavedFilter.objects.get(user=colleague)
    before = personas["colleague"].get(f"{LIST_URL}?{saved.query_string}")
    colleague.membership_set.all().delete()

    after = personas["colleague"].get(f"{LIST_URL}?{saved.query_string}")

    assert shared_ticket.summary in before.content.decode()
    assert after.status_code == 400
    assert shared_ticket.summary not in after.content.decode()


def test_save_filter_without_name_is_rejected(personas, reporter):
    response = save(personas["reporter"], "", "scope=all")

    assert response.status_code == 302
    assert not SavedFilter.objects.exists()
