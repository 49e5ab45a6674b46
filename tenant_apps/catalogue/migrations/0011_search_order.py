"""Two indexes for searches over a big catalogue (issue 17, 100,000 activities).

- ``cat_act_title_gin``: the title words of the ranking vector,
  ``ts_filter(rank_vector, '{a}')`` (every language's title, weight A). A relevance
  search ranks the activities whose title matches first and only reads the rest when
  those do not fill the page (search.relevance_ids); a count reads it first too. An
  expression index written in SQL: the queries use this exact expression (the planner
  matches an index expression by its text, and Django's ``Value`` would be a bound
  parameter there), so the model does not declare it.
- ``cat_act_public_new_idx`` in the order of "newest first" (published_at DESC NULLS
  LAST, id DESC): the previous index was NULLS FIRST and without the id, so a sorted
  page sorted every match.
"""

from django.db import migrations, models

TITLE_GIN = (
    "CREATE INDEX cat_act_title_gin ON catalogue_activity"
    " USING gin (ts_filter(rank_vector, '{a}')) WITH (fastupdate = off)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0010_knn_gist_partial"),
    ]

    operations = [
        migrations.RunSQL(TITLE_GIN, "DROP INDEX IF EXISTS cat_act_title_gin"),
        migrations.RemoveIndex(
            model_name="activity",
            name="cat_act_public_new_idx",
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                models.OrderBy(models.F("published_at"), descending=True, nulls_last=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("is_public", True)),
                name="cat_act_public_new_idx",
            ),
        ),
    ]
