"""An index of the activity table that no query reads (issue 18): every written row
(50,000 in an import) paid an entry in it.

The full GiST index of ``location`` (GeoDjango's own spatial index): places are only
searched among public rows, through the partial ``cat_act_public_knn_gist``. Checked
over the 50,000-row import bench: none of bench_catalogue's searches and map views
read it (pg_stat_user_indexes.idx_scan stayed 0; their plans name the partial one).
"""

import django.contrib.gis.db.models.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0011_search_order"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activity",
            name="location",
            field=django.contrib.gis.db.models.fields.PointField(
                editable=False, geography=True, null=True, spatial_index=False, srid=4326
            ),
        ),
    ]
