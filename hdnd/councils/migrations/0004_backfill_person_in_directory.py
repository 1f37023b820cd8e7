from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def backfill(apps, schema_editor):
    # Copied, not imported: the rule as it stood when this migration was written.
    Person = apps.get_model("councils", "Person")
    Membership = apps.get_model("councils", "Membership")
    AgencyOfficial = apps.get_model("councils", "AgencyOfficial")
    Person.objects.filter(
        Q(Exists(Membership.objects.filter(person=OuterRef("pk"))))
        | Q(Exists(AgencyOfficial.objects.filter(person=OuterRef("pk"))))
    ).update(in_directory=True)


class Migration(migrations.Migration):
    dependencies = [("councils", "0003_person_in_directory")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
