import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_pgvector_extension_is_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        assert cursor.fetchone() is not None


def test_search_vector_is_filled_in_both_languages(sme):
    from tests.factories import NeedFactory

    need = NeedFactory(organisation=sme, title="Schweißnahtprüfung", description="Kameras prüfen")
    need.refresh_from_db()
    assert "kamera" in str(need.search_vector)
