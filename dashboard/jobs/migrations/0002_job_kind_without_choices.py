# The kinds are no longer enumerated in the engine's model: each area app registers its own
# (dashboard/jobs/kinds.py), and the label comes from the registered kind. The stored values
# ("visitors.delete", "broadcast"...) are unchanged.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="job",
            name="kind",
            field=models.CharField(max_length=40),
        ),
    ]
