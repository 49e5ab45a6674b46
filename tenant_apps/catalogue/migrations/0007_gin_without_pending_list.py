"""GIN indexes of the activity table without a pending list (fastupdate off).

In the database: ALTER INDEX ... SET (fastupdate = off), a catalogue change that does
not rebuild anything (a release over many territory schemas stays quick), then
gin_clean_pending_list merges what is pending. In Django's state: the same indexes,
declared with fastupdate=False.
"""

import django.contrib.postgres.indexes
from django.db import migrations

INDEXES = {
    "cat_act_search_gin": "search_vector",
    "cat_act_interests_gin": "interest_ids",
    "cat_act_days_gin": "days",
    "cat_act_access_gin": "accessibility",
    "cat_act_languages_gin": "languages",
}

FORWARD = "".join(
    f"ALTER INDEX {name} SET (fastupdate = off); "
    f"SELECT gin_clean_pending_list('{name}'::regclass); "
    for name in INDEXES
)
BACKWARD = "".join(f"ALTER INDEX {name} RESET (fastupdate); " for name in INDEXES)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0006_provider_invitations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(FORWARD, BACKWARD)],
            state_operations=[
                operation
                for name, field in INDEXES.items()
                for operation in (
                    migrations.RemoveIndex(model_name="activity", name=name),
                    migrations.AddIndex(
                        model_name="activity",
                        index=django.contrib.postgres.indexes.GinIndex(
                            fields=[field], name=name, fastupdate=False
                        ),
                    ),
                )
            ],
        ),
    ]
