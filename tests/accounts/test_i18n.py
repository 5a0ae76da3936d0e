"""The interface speaks German and English: by browser preference or by choice."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_english_is_the_default(client):
    response = client.get(reverse("accounts:organisation_list"))

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Organisations" in html


def test_browser_asking_for_german_gets_german(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")

    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Finden Sie Ihren KI-Partner in der Region." in html
    assert "Registrieren" in html


def test_choosing_german_in_the_switcher_sticks(client):
    client.post(reverse("set_language"), {"language": "de", "next": "/"})

    response = client.get(reverse("accounts:signup"))

    html = response.content.decode()
    assert "Konto anlegen" in html
    assert "Vollständiger Name" in html


def test_switching_back_to_english(client):
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get(reverse("accounts:signup"))

    assert "Create your account" in response.content.decode()


def test_model_choices_are_translated(client, carol):
    client.force_login(carol)

    response = client.get(reverse("accounts:organisation_create"), HTTP_ACCEPT_LANGUAGE="de")

    html = response.content.decode()
    assert "Forschungsinstitut" in html
    assert "Verarbeitendes Gewerbe" in html
    assert "Deutschland" in html


def test_form_errors_are_german_in_german(client):
    response = client.post(
        reverse("accounts:signup"),
        {"full_name": "", "email": "x", "password": "1"},
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()


def test_invitation_mail_is_written_in_the_inviters_language(
    client, alice, sme, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:organisation_members", args=[sme.slug]),
            {"email": "dora@example.org", "role": "member"},
            HTTP_ACCEPT_LANGUAGE="de",
        )

    assert mailoutbox[0].subject.startswith("Einladung zu Muster Maschinenbau GmbH")
    assert "Hier nehmen Sie die Einladung an:" in mailoutbox[0].body


INFORMAL = re.compile(r"\b(du|Du|dein\w*|Dein\w*|dich|dir|Dir|kannst|hast|bist|musst|gib)\b")


def informal_words(response) -> list[str]:
    """German "du" forms in the visible text (tags and scripts stripped)."""
    html = re.sub(r"<script.*?</script>|<[^>]+>", " ", response.content.decode(), flags=re.S)
    return INFORMAL.findall(html)


def test_account_pages_address_the_user_as_sie(client, alice, mailoutbox):
    german = {"HTTP_ACCEPT_LANGUAGE": "de"}
    pages = [
        client.get(reverse("accounts:login"), **german),
        client.post(
            reverse("accounts:login"), {"login": "x@example.org", "password": "x"}, **german
        ),
        client.get(reverse("accounts:password_reset"), **german),
        client.get(reverse("accounts:password_reset_done"), **german),
        client.get("/confirm-email/invalid-key/", **german),
    ]
    client.force_login(alice)
    pages += [
        client.get(reverse("account_email"), **german),
        client.get(reverse("accounts:password_change"), **german),
        client.get(reverse("accounts:account_security"), **german),
        client.post(reverse("accounts:logout"), follow=True, **german),
    ]

    assert [informal_words(page) for page in pages] == [[]] * len(pages)
    assert "Sie haben sich abgemeldet." in pages[-1].content.decode()
