import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matchmaking.models import Capability, Need
from matchmaking.services import (
    capability_create,
    capability_update,
    need_create,
    need_update,
    posting_close,
    posting_delete,
    posting_reopen,
)
from matchmaking.taxonomy import Technique
from tests.factories import CapabilityFactory, NeedFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "title": "Weld seam inspection",
    "description": "We need automated visual inspection of weld seams on steel frames.",
    "trl": 6,
    "techniques": [Technique.COMPUTER_VISION],
}


def test_member_can_create_a_need(sme, bob):
    need = need_create(organisation=sme, author=bob, **FIELDS)
    assert Need.objects.get().id == need.id
    assert need.author == bob


def test_member_can_create_a_capability(carol):
    institute = carol.memberships.get().organisation
    capability = capability_create(organisation=institute, author=carol, **FIELDS)
    assert Capability.objects.get().organisation == institute
    assert capability.techniques == [Technique.COMPUTER_VISION]


def test_outsider_cannot_create_a_need_for_another_organisation(sme, carol):
    with pytest.raises(PermissionDenied):
        need_create(organisation=sme, author=carol, **FIELDS)
    assert not Need.objects.exists()


@pytest.mark.parametrize("trl", [0, 10])
def test_trl_outside_1_to_9_is_rejected_and_nothing_written(sme, alice, trl):
    with pytest.raises(ValidationError) as error:
        need_create(organisation=sme, author=alice, **{**FIELDS, "trl": trl})
    assert "trl" in error.value.message_dict
    assert not Need.objects.exists()


def test_unknown_technique_code_is_rejected(sme, alice):
    with pytest.raises(ValidationError) as error:
        need_create(organisation=sme, author=alice, **{**FIELDS, "techniques": ["telepathy"]})
    assert "techniques" in error.value.message_dict


def test_caller_cannot_set_the_language_through_fields(sme, alice):
    with pytest.raises(TypeError):
        need_create(organisation=sme, author=alice, **FIELDS, language="fr")
    assert not Need.objects.exists()


def test_german_text_is_detected_as_german(sme, alice):
    need = need_create(
        organisation=sme,
        author=alice,
        title="Automatische Schweißnahtprüfung",
        description="Wir suchen einen Partner für die Sichtprüfung unserer Schweißnähte.",
        trl=5,
    )
    assert need.language == "de"


def test_english_text_is_detected_as_english(sme, alice):
    need = need_create(organisation=sme, author=alice, **FIELDS)
    assert need.language == "en"


def test_update_changes_fields_and_redetects_language(sme, alice):
    need = NeedFactory(organisation=sme)
    need_update(
        need=need,
        actor=alice,
        title="Prognose der Nachfrage",
        description="Wir wollen die Nachfrage für unsere Produkte mit KI vorhersagen.",
    )
    need.refresh_from_db()
    assert (need.title, need.language) == ("Prognose der Nachfrage", "de")


def test_outsider_cannot_update_a_capability(carol, sme):
    capability = CapabilityFactory(organisation=sme, title="Original")
    with pytest.raises(PermissionDenied):
        capability_update(capability=capability, actor=carol, title="Taken over")
    capability.refresh_from_db()
    assert capability.title == "Original"


def test_invalid_update_leaves_the_row_unchanged(sme, alice):
    need = NeedFactory(organisation=sme, title="Old title", trl=4)
    with pytest.raises(ValidationError):
        need_update(need=need, actor=alice, title="New title", trl=12)
    need.refresh_from_db()
    assert (need.title, need.trl) == ("Old title", 4)


def test_member_can_close_and_reopen_a_need(sme, bob):
    need = NeedFactory(organisation=sme)
    posting_close(posting=need, actor=bob)
    assert Need.objects.get().status == Need.Status.CLOSED
    posting_reopen(posting=need, actor=bob)
    assert Need.objects.get().status == Need.Status.OPEN


def test_outsider_cannot_close_a_need(sme, carol):
    need = NeedFactory(organisation=sme)
    with pytest.raises(PermissionDenied):
        posting_close(posting=need, actor=carol)
    assert Need.objects.get().status == Need.Status.OPEN


def test_member_can_delete_a_capability(sme, alice):
    capability = CapabilityFactory(organisation=sme)
    posting_delete(posting=capability, actor=alice)
    assert not Capability.objects.exists()


def test_outsider_cannot_delete_a_need(sme, carol):
    need = NeedFactory(organisation=sme)
    with pytest.raises(PermissionDenied):
        posting_delete(posting=need, actor=carol)
    assert Need.objects.exists()
