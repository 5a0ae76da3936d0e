"""The search vector also indexes a posting in its own language's text search
configuration (French, Italian, Spanish, Dutch; `simple` where PostgreSQL has none, e.g.
Polish and Czech), besides English and German; the trigger now also fires when the
detected language changes. The mapping is matchmaking.languages.TEXT_SEARCH_CONFIGS as of
this migration; a configuration the server lacks falls back to `simple`."""

from django.db import migrations

from matchmaking.languages import detect_language

CASES = (
    "WHEN 'en' THEN 'english' WHEN 'de' THEN 'german' WHEN 'fr' THEN 'french' "
    "WHEN 'it' THEN 'italian' WHEN 'es' THEN 'spanish' WHEN 'nl' THEN 'dutch'"
)

CONFIG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION posting_text_config(language text) RETURNS regconfig AS $$
  SELECT coalesce(
    (SELECT oid::regconfig FROM pg_ts_config
      WHERE cfgname = CASE language {CASES} ELSE 'simple' END
      LIMIT 1),
    'simple'::regconfig)
$$ LANGUAGE sql STABLE;
"""

FUNCTION = """
CREATE OR REPLACE FUNCTION posting_search_vector_update() RETURNS trigger AS $$
DECLARE
  own regconfig := posting_text_config(NEW.language);
BEGIN
  NEW.search_vector :=
      setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
   || setweight(to_tsvector('german', coalesce(NEW.title, '')), 'A')
   || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'B')
   || setweight(to_tsvector('german', coalesce(NEW.description, '')), 'B');
  IF own NOT IN ('english'::regconfig, 'german'::regconfig) THEN
    NEW.search_vector := NEW.search_vector
      || setweight(to_tsvector(own, coalesce(NEW.title, '')), 'A')
      || setweight(to_tsvector(own, coalesce(NEW.description, '')), 'B');
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

OLD_FUNCTION = """
CREATE OR REPLACE FUNCTION posting_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
      setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
   || setweight(to_tsvector('german', coalesce(NEW.title, '')), 'A')
   || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'B')
   || setweight(to_tsvector('german', coalesce(NEW.description, '')), 'B');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

TRIGGER = """
DROP TRIGGER IF EXISTS {table}_search_vector ON {table};
CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE OF {columns}
ON {table} FOR EACH ROW EXECUTE FUNCTION posting_search_vector_update();
"""

TABLES = ["matchmaking_need", "matchmaking_capability"]


def redetect_languages(apps, schema_editor):
    for name in ("Need", "Capability"):
        model = apps.get_model("matchmaking", name)
        for posting in model.objects.only("id", "title", "description", "language"):
            language = detect_language(f"{posting.title}\n{posting.description}")
            if language != posting.language:
                model.objects.filter(id=posting.id).update(language=language)


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0004_embedding_copy_default_and_hnsw")]

    operations = [
        migrations.RunSQL(CONFIG_FUNCTION, "DROP FUNCTION IF EXISTS posting_text_config(text);"),
        migrations.RunSQL(FUNCTION, OLD_FUNCTION),
        *[
            migrations.RunSQL(
                TRIGGER.format(table=table, columns="title, description, language"),
                TRIGGER.format(table=table, columns="title, description"),
            )
            for table in TABLES
        ],
        # Re-detect what exists (the old detector knew German and English only); the
        # trigger re-indexes every posting whose language changes.
        migrations.RunPython(redetect_languages, migrations.RunPython.noop),
    ]
