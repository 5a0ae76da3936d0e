"""Embedding marks (matchmaking.models.EmbeddingMark): triggers mark every need,
capability and organisation whose embedded text may have changed, and the organisation
of every posting inserted, changed or deleted (its text lists its open postings). The
upsert takes the mark's row lock, so the embedding service, which locks a mark before it
re-reads the text and removes it only when the vectors are current, cannot remove a mark
of a change it has not read. Every existing owner is marked once, so the first catch-up
checks them all."""

import django.db.models.functions.datetime
from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION matchmaking_embedding_mark(mark_kind text, mark_id bigint)
RETURNS void AS $$
  INSERT INTO matchmaking_embeddingmark (kind, owner_id, marked_at)
  VALUES (mark_kind, mark_id, clock_timestamp())
  ON CONFLICT (kind, owner_id) DO UPDATE SET marked_at = excluded.marked_at;
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION matchmaking_posting_embedding_mark() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    PERFORM matchmaking_embedding_mark(TG_ARGV[0], NEW.id);
    PERFORM matchmaking_embedding_mark('organisation', NEW.organisation_id);
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM matchmaking_embedding_mark('organisation', OLD.organisation_id);
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION matchmaking_organisation_embedding_mark() RETURNS trigger AS $$
BEGIN
  PERFORM matchmaking_embedding_mark('organisation', NEW.id);
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER need_embedding_mark AFTER INSERT OR UPDATE OR DELETE ON matchmaking_need
FOR EACH ROW EXECUTE FUNCTION matchmaking_posting_embedding_mark('need');
CREATE TRIGGER capability_embedding_mark AFTER INSERT OR UPDATE OR DELETE
ON matchmaking_capability
FOR EACH ROW EXECUTE FUNCTION matchmaking_posting_embedding_mark('capability');
CREATE TRIGGER organisation_embedding_mark AFTER INSERT OR UPDATE ON accounts_organisation
FOR EACH ROW EXECUTE FUNCTION matchmaking_organisation_embedding_mark();

INSERT INTO matchmaking_embeddingmark (kind, owner_id)
SELECT 'need', id FROM matchmaking_need
UNION ALL SELECT 'capability', id FROM matchmaking_capability
UNION ALL SELECT 'organisation', id FROM accounts_organisation;
"""

REVERSE = """
DROP TRIGGER need_embedding_mark ON matchmaking_need;
DROP TRIGGER capability_embedding_mark ON matchmaking_capability;
DROP TRIGGER organisation_embedding_mark ON accounts_organisation;
DROP FUNCTION matchmaking_posting_embedding_mark();
DROP FUNCTION matchmaking_organisation_embedding_mark();
DROP FUNCTION matchmaking_embedding_mark(text, bigint);
"""


class Migration(migrations.Migration):

    dependencies = [
        ("matchmaking", "0007_match_store_and_imports"),
        ("accounts", "0003_programme_manager"),
    ]

    operations = [
        migrations.CreateModel(
            name='EmbeddingMark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=16)),
                ('owner_id', models.BigIntegerField()),
                ('marked_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now())),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('kind', 'owner_id'), name='embedding_mark_unique')],
            },
        ),
        migrations.RunSQL(FUNCTION, REVERSE),
    ]
