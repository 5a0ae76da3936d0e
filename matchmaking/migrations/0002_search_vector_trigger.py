"""Keeps Posting.search_vector current in the database itself, so admin edits, bulk
loads and the API all stay searchable. Title weighs more (A) than description (B);
both configurations are indexed because a posting may be German or English and a
searcher may type either."""

from django.db import migrations

FUNCTION = """
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
CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE OF title, description
ON {table} FOR EACH ROW EXECUTE FUNCTION posting_search_vector_update();
"""

TABLES = ["matchmaking_need", "matchmaking_capability"]


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0001_initial")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS posting_search_vector_update() CASCADE;"),
        *[
            migrations.RunSQL(
                TRIGGER.format(table=table),
                f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table};",
            )
            for table in TABLES
        ],
    ]
