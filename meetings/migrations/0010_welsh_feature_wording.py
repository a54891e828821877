from django.db import migrations

# Two slips in 0009's Welsh, corrected there for new databases. A database that already ran
# 0009 gets the correction here, only where the field still holds 0009's text (staff's own
# wording is left alone).
CORRECTIONS = [
    ("lgbtq", "description_cy",
     "Wedi’i redeg gan bobl lesbiaidd, hoyw, deurywiol, traws a cwiar, ac ar eu cyfer.",
     "Wedi’i redeg gan bobl lesbiaidd, hoyw, deurywiol, traws a chwiar, ac ar eu cyfer."),
    ("birthday", "name_cy", "Penblwyddi / cerrig milltir", "Pen-blwyddi / cerrig milltir"),
]


def correct(apps, schema_editor):
    Feature = apps.get_model("meetings", "Feature")
    for slug, field, old, new in CORRECTIONS:
        Feature.objects.filter(slug=slug, **{field: old}).update(**{field: new})


class Migration(migrations.Migration):
    dependencies = [("meetings", "0009_welsh_feature_and_language_names")]
    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
