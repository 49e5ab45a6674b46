"""The nearest-first GiST index as the model declares it: partial (public rows only).

Django's PostGIS schema editor builds an index on a single geometry field through its
spatial-index path, which drops the index's ``condition``: 0005 therefore created
``cat_act_public_knn_gist`` over every row, a second full copy of the field's own GiST
index that every write of a draft paid for. The state is unchanged (it already says
partial); only the database follows it now.
"""

from django.db import migrations

PARTIAL = (
    "DROP INDEX IF EXISTS cat_act_public_knn_gist;"
    " CREATE INDEX cat_act_public_knn_gist ON catalogue_activity"
    " USING gist (location) WHERE is_public"
)
FULL = (
    "DROP INDEX IF EXISTS cat_act_public_knn_gist;"
    " CREATE INDEX cat_act_public_knn_gist ON catalogue_activity USING gist (location)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0009_setup_and_submitter"),
    ]

    operations = [migrations.RunSQL(sql=PARTIAL, reverse_sql=FULL)]
