from django.db import migrations

# The Welsh for the features and languages 0002 adds (docs/welsh.md has the glossary;
# language names as Django's own Welsh catalogue gives them where it has them). Only
# empty Welsh fields are filled, so staff's own wording is never replaced.
FEATURES = {
    "newcomers": ("Croeso i newydd-ddyfodiaid",
                  "Cyfarfod cyntaf da: mae amser wedi’i neilltuo i bobl sy’n newydd."),
    "women": ("I fenywod yn unig", ""),
    "men": ("I ddynion yn unig", ""),
    "lgbtq": ("LHDTC+", "Wedi’i redeg gan bobl lesbiaidd, hoyw, deurywiol, traws a chwiar, "
                        "ac ar eu cyfer."),
    "young-people": ("Pobl ifanc", "Aelodau iau yn bennaf."),
    "bsl": ("Gyda dehongliad BSL", "Dehongliad Iaith Arwyddion Prydain."),
    "speaker": ("Siaradwr", "Mae un aelod yn rhannu ei stori."),
    "discussion": ("Trafodaeth", "Mae aelodau’n rhannu yn eu tro ar bwnc."),
    "step-study": ("Astudio’r camau", "Yn gweithio drwy’r camau."),
    "tradition-study": ("Astudio’r traddodiadau", "Yn gweithio drwy’r traddodiadau."),
    "literature": ("Llenyddiaeth", "Yn darllen ac yn trafod llyfrau’r mudiad."),
    "meditation": ("Myfyrdod", ""),
    "atheist-agnostic": ("Croeso i anffyddwyr ac agnostigion",
                         "Ychydig iawn o iaith ysbrydol a ddefnyddir."),
    "birthday": ("Pen-blwyddi / cerrig milltir", "Yn dathlu pen-blwyddi adferiad aelodau."),
    "child-friendly": ("Croeso i blant", "Mae croeso i blant ddod hefyd."),
}

LANGUAGES = {
    "en": "Saesneg", "cy": "Cymraeg", "gd": "Gaeleg yr Alban", "ga": "Gwyddeleg",
    "pl": "Pwyleg", "ro": "Romaneg", "lt": "Lithwaneg", "lv": "Latfieg", "pt": "Portiwgaleg",
    "es": "Sbaeneg", "fr": "Ffrangeg", "de": "Almaeneg", "it": "Eidaleg", "ru": "Rwsieg",
    "uk": "Wcreineg", "ar": "Arabeg", "ur": "Wrdw", "pa": "Pwnjabi", "bn": "Bengaleg",
    "gu": "Gwjarati", "so": "Somalieg", "fa": "Persieg", "tr": "Twrceg", "zh": "Tsieinëeg",
    "hi": "Hindi", "ta": "Tamil", "el": "Groeg", "bg": "Bwlgareg", "hu": "Hwngareg",
    "sk": "Slofaceg", "cs": "Tsieceg", "nl": "Iseldireg",
}


def add(apps, schema_editor):
    Feature = apps.get_model("meetings", "Feature")
    Language = apps.get_model("meetings", "Language")
    for feature in Feature.objects.filter(slug__in=FEATURES):
        name, description = FEATURES[feature.slug]
        feature.name_cy = feature.name_cy or name
        feature.description_cy = feature.description_cy or description
        feature.save(update_fields=["name_cy", "description_cy"])
    for language in Language.objects.filter(code__in=LANGUAGES, name_cy=""):
        language.name_cy = LANGUAGES[language.code]
        language.save(update_fields=["name_cy"])


class Migration(migrations.Migration):
    dependencies = [("meetings", "0008_feature_and_language_names_cy")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
