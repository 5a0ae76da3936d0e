"""Changing and resetting a password with the namespaced auth pages."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW = "another long unusual passphrase 7"


def test_reset_mail_link_lets_the_user_choose_a_new_password(client, alice, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", mailoutbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"password1": NEW, "password2": NEW})

    alice.refresh_from_db()
    assert alice.check_password(NEW)


def test_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})

    assert response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_password_change_needs_the_old_password(client, alice):
    client.force_login(alice)

    response = client.post(
        reverse("accounts:password_change"),
        {"oldpassword": "wrong", "password1": NEW, "password2": NEW},
    )

    assert "oldpassword" in response.context["form"].errors
    alice.refresh_from_db()
    assert not alice.check_password(NEW)
