"""Meeting requests: a short message, accept or decline (a hard no), caps, met before."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from events.models import MeetingRequest
from events.services.requests import (
    meeting_request_accept,
    meeting_request_decline,
    meeting_request_send,
    pair_met_before,
)
from tests.events.conftest import register
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_request_e_mails_the_recipient(alice_p, carol_p, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting_request_send(sender=alice_p, recipient=carol_p, message="Weld seams?")
    assert mail.outbox[-1].to == ["carol@example.org"]
    assert "Weld seams?" in mail.outbox[-1].body


def test_acceptance_e_mails_the_sender(alice_p, carol_p, django_capture_on_commit_callbacks):
    request = meeting_request_send(sender=alice_p, recipient=carol_p)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_request_accept(request=request, participant=carol_p)
    assert mail.outbox[-1].to == ["alice@example.org"]
    assert MeetingRequest.objects.get().status == "accepted"


def test_only_the_recipient_answers(alice_p, carol_p):
    request = meeting_request_send(sender=alice_p, recipient=carol_p)
    with pytest.raises(PermissionDenied):
        meeting_request_accept(request=request, participant=alice_p)


def test_declined_pair_cannot_be_asked_again_either_way(alice_p, carol_p):
    request = meeting_request_send(sender=alice_p, recipient=carol_p)
    meeting_request_decline(request=request, participant=carol_p)
    with pytest.raises(ValidationError):
        meeting_request_send(sender=carol_p, recipient=alice_p)


def test_met_before_pair_cannot_be_requested(alice_p, carol_p):
    pair_met_before(participant=alice_p, other=carol_p)
    with pytest.raises(ValidationError, match="will not meet"):
        meeting_request_send(sender=carol_p, recipient=alice_p)


def test_popular_participant_is_not_flooded(event, carol_p):
    senders = []
    for n in range(3):
        user = UserFactory(email=f"sender{n}@example.org")
        MembershipFactory(user=user, organisation=OrganisationFactory())
        senders.append(register(event, user))
    meeting_request_send(sender=senders[0], recipient=carol_p)
    meeting_request_send(sender=senders[1], recipient=carol_p)
    with pytest.raises(ValidationError, match="too many open requests"):
        meeting_request_send(sender=senders[2], recipient=carol_p)


def test_colleagues_do_not_request_each_other(event, alice_p, bob):
    bob_p = register(event, bob)
    with pytest.raises(ValidationError):
        meeting_request_send(sender=alice_p, recipient=bob_p)
