from django.db import migrations

# Slugs are public ?feature= values: never rename one once shipped.
FEATURES = [
    ("newcomers", "Newcomers welcome", "A good first meeting: time is set aside for people who are new."),
    ("women", "Women only", ""),
    ("men", "Men only", ""),
    ("lgbtq", "LGBTQ+", "Run by and for lesbian, gay, bisexual, trans and queer people."),
    ("young-people", "Young people", "Mostly younger members."),
    ("bsl", "BSL interpreted", "British Sign Language interpretation."),
    ("speaker", "Speaker", "One member shares their story."),
    ("discussion", "Discussion", "Members share in turn on a topic."),
    ("step-study", "Step study", "Works through the steps."),
    ("tradition-study", "Tradition study", "Works through the traditions."),
    ("literature", "Literature", "Reads and discusses the fellowship's books."),
    ("meditation", "Meditation", ""),
    ("atheist-agnostic", "Atheist / agnostic friendly", "Spiritual language is kept to a minimum."),
    ("birthday", "Birthday / milestones", "Celebrates members' recovery anniversaries."),
    ("child-friendly", "Child-friendly", "Children are welcome to come along."),
]

LANGUAGES = [
    ("en", "English"), ("cy", "Welsh"), ("gd", "Scottish Gaelic"), ("ga", "Irish"),
    ("pl", "Polish"), ("ro", "Romanian"), ("lt", "Lithuanian"), ("lv", "Latvian"),
    ("pt", "Portuguese"), ("es", "Spanish"), ("fr", "French"), ("de", "German"),
    ("it", "Italian"), ("ru", "Russian"), ("uk", "Ukrainian"), ("ar", "Arabic"),
    ("ur", "Urdu"), ("pa", "Punjabi"), ("bn", "Bengali"), ("gu", "Gujarati"),
    ("so", "Somali"), ("fa", "Persian"), ("tr", "Turkish"), ("zh", "Chinese"),
    ("hi", "Hindi"), ("ta", "Tamil"), ("el", "Greek"), ("bg", "Bulgarian"),
    ("hu", "Hungarian"), ("sk", "Slovak"), ("cs", "Czech"), ("nl", "Dutch"),
]


def add(apps, schema_editor):
    Feature = apps.get_model("meetings", "Feature")
    Language = apps.get_model("meetings", "Language")
    for position, (slug, name, description) in enumerate(FEATURES):
        Feature.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "position": position * 10},
        )
    for code, name in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
