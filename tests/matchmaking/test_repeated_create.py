"""A double click or a retried request creates one posting: the same author, organisation,
title and description within a day is the same create."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from matchmaking.models import Need
from matchmaking.services import need_create


def _body(sme):
    return {
        "organisation": sme.slug,
        "title": "Weld seams",
        "description": "Find cracks.",
        "trl": 5,
    }


@pytest.mark.django_db
def test_a_retried_api_post_returns_the_first_posting(bob, sme):
    client = APIClient()
    client.force_authenticate(user=bob)

    first = client.post(reverse("api:need-list"), _body(sme), format="json")
    second = client.post(reverse("api:need-list"), _body(sme), format="json")

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Need.objects.count() == 1


@pytest.mark.django_db
def test_a_double_submitted_form_creates_one_posting(client, bob, sme):
    client.force_login(bob)
    form = {**_body(sme), "organisation": sme.pk, "region_scope": "eu", "visibility": "public"}

    first = client.post(reverse("matchmaking:need_create"), form)
    second = client.post(reverse("matchmaking:need_create"), form)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Need.objects.count() == 1


@pytest.mark.django_db
def test_a_different_text_is_a_new_posting(bob, sme):
    need_create(organisation=sme, author=bob, title="A", description="One.", trl=5, embed=False)
    need_create(organisation=sme, author=bob, title="A", description="Two.", trl=5, embed=False)

    assert Need.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_parallel_identical_creates_make_one_posting(bob, sme):
    barrier = threading.Barrier(2)
    made = []

    def create():
        try:
            barrier.wait()
            made.append(
                need_create(
                    organisation=sme,
                    author=bob,
                    title="Same",
                    description="Same.",
                    trl=5,
                    embed=False,
                ).id
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(made) == 2
    assert made[0] == made[1]
    assert Need.objects.count() == 1
