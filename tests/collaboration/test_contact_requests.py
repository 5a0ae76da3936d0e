"""Contact requests through the services and the pages: sending, answering, the thread,
outcomes, e-mails, the daily cap and the cool-down."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from matchmaking.collaboration import services
from matchmaking.collaboration.models import ContactRequest
from matchmaking.models import SuggestionFeedback
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_request_from_a_posting_reaches_the_posting_organisation_by_mail(
    send, alice, sme, carol, institute, vision, mailoutbox
):
    request = send(sender=alice, sender_organisation=sme, target=vision)
    assert request.recipient_organisation == institute
    assert [m.to for m in mailoutbox] == [["carol@example.org"]]
    assert sme.name in mailoutbox[0].subject
    assert reverse("collaboration:detail", args=[request.id]) in mailoutbox[0].body


def test_request_from_a_suggestion_is_logged_as_contacted_feedback(
    send, alice, sme, weld_need, vision
):
    send(sender=alice, sender_organisation=sme, target=vision, about=weld_need)
    feedback = SuggestionFeedback.objects.get()
    assert (feedback.action, feedback.source_need, feedback.target_capability) == (
        "contacted",
        weld_need,
        vision,
    )


def test_about_must_be_one_of_the_senders_postings(send, alice, sme, vision, institute):
    with pytest.raises(ValidationError) as error:
        send(sender=alice, sender_organisation=sme, recipient_organisation=institute, about=vision)
    assert "about" in error.value.message_dict


def test_outsider_cannot_send_for_an_organisation(send, carol, sme, institute):
    with pytest.raises(PermissionDenied):
        send(sender=carol, sender_organisation=sme, recipient_organisation=institute)


def test_second_request_while_one_is_pending_is_refused(send, alice, bob, sme, institute):
    send(sender=alice, sender_organisation=sme, recipient_organisation=institute)
    with pytest.raises(ValidationError, match="waiting for an answer"):
        send(sender=bob, sender_organisation=sme, recipient_organisation=institute)


def test_daily_cap_refuses_the_request_beyond_it(send, alice, sme, settings):
    settings.CONTACT_REQUESTS_PER_DAY = 2
    others = [OrganisationFactory() for _ in range(3)]
    for other in others[:2]:
        send(sender=alice, sender_organisation=sme, recipient_organisation=other)
    with pytest.raises(ValidationError, match="24 hours"):
        send(sender=alice, sender_organisation=sme, recipient_organisation=others[2])
    assert ContactRequest.objects.count() == 2


def test_requests_older_than_a_day_do_not_count_towards_the_cap(send, alice, sme, settings):
    settings.CONTACT_REQUESTS_PER_DAY = 1
    first = send(
        sender=alice, sender_organisation=sme, recipient_organisation=OrganisationFactory()
    )
    ContactRequest.objects.filter(id=first.id).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    send(sender=alice, sender_organisation=sme, recipient_organisation=OrganisationFactory())
    assert ContactRequest.objects.count() == 2


def test_declined_pair_waits_for_the_cool_down(send, alice, sme, carol, institute, settings):
    settings.CONTACT_REQUEST_COOLDOWN_DAYS = 30
    first = send(sender=alice, sender_organisation=sme, recipient_organisation=institute)
    services.contact_request_decline(request=first, actor=carol, reason="Not now")
    with pytest.raises(ValidationError, match="declined your last request"):
        send(sender=alice, sender_organisation=sme, recipient_organisation=institute)
    ContactRequest.objects.filter(id=first.id).update(
        responded_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert send(sender=alice, sender_organisation=sme, recipient_organisation=institute).id


def test_only_the_recipient_side_answers(send, alice, sme, institute):
    request = send(sender=alice, sender_organisation=sme, recipient_organisation=institute)
    with pytest.raises(PermissionDenied):
        services.contact_request_accept(request=request, actor=alice)


def test_answer_mail_goes_to_the_sender(accepted, mailoutbox):
    assert mailoutbox[-1].to == ["alice@example.org"]
    assert "accepted" in mailoutbox[-1].subject


def test_messages_only_after_acceptance(send, alice, sme, institute):
    request = send(sender=alice, sender_organisation=sme, recipient_organisation=institute)
    with pytest.raises(ValidationError, match="once the request is accepted"):
        services.contact_message_post(request=request, author=alice, body="Hello?")


def test_both_sides_write_in_the_thread_and_record_outcomes(accepted, alice, carol):
    services.contact_message_post(request=accepted, author=alice, body="When can we meet?")
    services.contact_message_post(request=accepted, author=carol, body="Tuesday.")
    services.contact_outcome_record(request=accepted, actor=carol, stage="met")
    assert [m.body for m in accepted.messages.all()] == ["When can we meet?", "Tuesday."]
    assert accepted.outcomes.get().stage == "met"


def test_outsider_cannot_write_in_a_thread(accepted, django_user_model):
    stranger = django_user_model.objects.create_user("x@example.org", "pw")
    with pytest.raises(PermissionDenied):
        services.contact_message_post(request=accepted, author=stranger, body="Hi")


# --- pages ---------------------------------------------------------------------------------


def test_posting_page_offers_a_contact_request_to_outsiders(client, alice, vision):
    client.force_login(alice)
    page = client.get(reverse("matchmaking:capability_detail", args=[vision.id]))
    assert f"{reverse('collaboration:new')}?capability={vision.id}".encode() in page.content


def test_send_page_creates_the_request(client, alice, sme, vision, institute, weld_need):
    client.force_login(alice)
    url = f"{reverse('collaboration:new')}?capability={vision.id}"
    response = client.post(
        url,
        {"sender_organisation": sme.id, "about": f"need:{weld_need.id}", "reason": "Let us talk"},
    )
    request = ContactRequest.objects.get()
    assert response.url == reverse("collaboration:detail", args=[request.id])
    assert (request.recipient_organisation, request.about_posting) == (institute, weld_need)


def test_send_page_shows_the_cap_as_a_form_error(client, alice, sme, institute, settings):
    settings.CONTACT_REQUESTS_PER_DAY = 0
    client.force_login(alice)
    url = f"{reverse('collaboration:new')}?organisation={institute.slug}"
    page = client.post(url, {"sender_organisation": sme.id, "reason": "Hi"})
    assert page.status_code == 200
    assert b"24 hours" in page.content
    assert not ContactRequest.objects.exists()


def test_accepting_on_the_page_shows_both_contact_persons(
    client, send, alice, sme, carol, institute
):
    request = send(sender=alice, sender_organisation=sme, recipient_organisation=institute)
    client.force_login(carol)
    client.post(reverse("collaboration:answer", args=[request.id]), {"decision": "accept"})
    page = client.get(reverse("collaboration:detail", args=[request.id]))
    assert b"alice@example.org" in page.content
    client.force_login(alice)
    page = client.get(reverse("collaboration:detail", args=[request.id]))
    assert b"carol@example.org" in page.content


def test_contact_person_is_hidden_before_acceptance(client, send, alice, sme, carol, institute):
    request = send(sender=alice, sender_organisation=sme, recipient_organisation=institute)
    client.force_login(alice)
    page = client.get(reverse("collaboration:detail", args=[request.id]))
    assert b"carol@example.org" not in page.content


# Permission matrix of the pages: (who, url name, method) -> status.
@pytest.mark.parametrize(
    ("who", "name", "method", "expected"),
    [
        (None, "detail", "get", 302),
        ("stranger", "detail", "get", 404),
        ("alice", "detail", "get", 200),
        ("bob", "detail", "get", 200),
        ("carol", "detail", "get", 200),
        ("staff", "detail", "get", 404),
        (None, "answer", "post", 302),
        ("stranger", "answer", "post", 404),
        ("staff", "answer", "post", 404),
        ("stranger", "message", "post", 404),
        ("stranger", "outcome", "post", 404),
    ],
)
def test_contact_page_permissions(
    client,
    send,
    alice,
    bob,
    carol,
    staff,
    sme,
    institute,
    django_user_model,
    who,
    name,
    method,
    expected,
):
    request = send(sender=alice, sender_organisation=sme, recipient_organisation=institute)
    users = {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "staff": staff,
        "stranger": django_user_model.objects.create_user("s@example.org", "pw"),
    }
    if who:
        client.force_login(users[who])
    url = reverse(f"collaboration:{name}", args=[request.id])
    response = getattr(client, method)(url, {"decision": "accept"})
    assert response.status_code == expected
    assert ContactRequest.objects.get().status == "pending"


def test_sender_cannot_accept_own_request_on_the_page(client, send, alice, sme, institute):
    request = send(sender=alice, sender_organisation=sme, recipient_organisation=institute)
    client.force_login(alice)
    client.post(reverse("collaboration:answer", args=[request.id]), {"decision": "accept"})
    assert ContactRequest.objects.get().status == "pending"


def test_contact_list_shows_sent_and_received(client, send, alice, sme, carol, institute):
    send(sender=alice, sender_organisation=sme, recipient_organisation=institute)
    client.force_login(carol)
    page = client.get(reverse("collaboration:list"))
    assert sme.name.encode() in page.content


def test_contact_list_needs_login(client):
    assert client.get(reverse("collaboration:list")).status_code == 302
