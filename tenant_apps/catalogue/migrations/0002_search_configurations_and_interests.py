"""Full-text search configurations (shared by every territory, in the public schema)
and the network's default interest taxonomy, seeded into each territory.

Each configuration removes accents before stemming, so "sokiu" finds "šokių" and
"cebelarjenje" finds "čebelarjenje": young people often type without diacritics.
Slovenian has no stemmer in PostgreSQL and gets the accent-free `simple` one.
The data is written out here (not imported) so that this migration never changes.
"""

from django.db import migrations

CONFIGURATIONS = [
    ("catalogue_en", "english", "english_stem"),
    ("catalogue_lt", "lithuanian", "lithuanian_stem"),
    ("catalogue_it", "italian", "italian_stem"),
    ("catalogue_fi", "finnish", "finnish_stem"),
    ("catalogue_de", "german", "german_stem"),
    ("catalogue_fr", "french", "french_stem"),
    ("catalogue_es", "spanish", "spanish_stem"),
    ("catalogue_nl", "dutch", "dutch_stem"),
    ("catalogue_simple", "simple", "simple"),
]

# Idempotent and race-safe: every territory's schema runs this migration, and two
# territories may be provisioned at the same time.
SQL = """
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
    WHERE c.cfgname = '{name}' AND n.nspname = 'public'
  ) THEN
    CREATE TEXT SEARCH CONFIGURATION public.{name} (COPY = pg_catalog.{base});
    ALTER TEXT SEARCH CONFIGURATION public.{name}
      ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, pg_catalog.{stem};
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
"""

LANGS = ("en", "lt", "sl", "it", "fi", "de", "fr", "es", "nl")
DEFAULT_INTERESTS = [
    ("arts", ("Arts", "Menas", "Umetnost", "Arte", "Taide", "Kunst", "Arts", "Arte", "Kunst")),
    (
        "music",
        ("Music", "Muzika", "Glasba", "Musica", "Musiikki", "Musik", "Musique", "Música", "Muziek"),
    ),
    (
        "sport",
        (
            "Sport",
            "Sportas",
            "Šport",
            "Sport",
            "Liikunta ja urheilu",
            "Sport",
            "Sport",
            "Deporte",
            "Sport",
        ),
    ),
    (
        "digital",
        (
            "Digital skills",
            "Skaitmeniniai įgūdžiai",
            "Digitalne veščine",
            "Competenze digitali",
            "Digitaidot",
            "Digitale Kompetenzen",
            "Compétences numériques",
            "Competencias digitales",
            "Digitale vaardigheden",
        ),
    ),
    (
        "science-technology",
        (
            "Science and technology",
            "Mokslas ir technologijos",
            "Znanost in tehnologija",
            "Scienza e tecnologia",
            "Tiede ja teknologia",
            "Wissenschaft und Technik",
            "Sciences et technologies",
            "Ciencia y tecnología",
            "Wetenschap en techniek",
        ),
    ),
    (
        "robotics",
        (
            "Robotics",
            "Robotika",
            "Robotika",
            "Robotica",
            "Robotiikka",
            "Robotik",
            "Robotique",
            "Robótica",
            "Robotica",
        ),
    ),
    (
        "nature",
        (
            "Nature",
            "Gamta",
            "Narava",
            "Natura",
            "Luonto",
            "Natur",
            "Nature",
            "Naturaleza",
            "Natuur",
        ),
    ),
    (
        "languages",
        (
            "Languages",
            "Kalbos",
            "Jeziki",
            "Lingue",
            "Kielet",
            "Sprachen",
            "Langues",
            "Idiomas",
            "Talen",
        ),
    ),
    (
        "entrepreneurship",
        (
            "Entrepreneurship",
            "Verslumas",
            "Podjetnost",
            "Imprenditorialità",
            "Yrittäjyys",
            "Unternehmergeist",
            "Entrepreneuriat",
            "Emprendimiento",
            "Ondernemerschap",
        ),
    ),
    (
        "volunteering",
        (
            "Volunteering",
            "Savanorystė",
            "Prostovoljstvo",
            "Volontariato",
            "Vapaaehtoistyö",
            "Ehrenamt",
            "Bénévolat",
            "Voluntariado",
            "Vrijwilligerswerk",
        ),
    ),
    (
        "civic-participation",
        (
            "Civic participation",
            "Pilietiškumas",
            "Državljanska participacija",
            "Cittadinanza attiva",
            "Vaikuttaminen",
            "Bürgerbeteiligung",
            "Citoyenneté",
            "Participación ciudadana",
            "Burgerparticipatie",
        ),
    ),
    (
        "media",
        ("Media", "Medijos", "Mediji", "Media", "Media", "Medien", "Médias", "Medios", "Media"),
    ),
    (
        "crafts",
        (
            "Crafts",
            "Rankdarbiai",
            "Rokodelstvo",
            "Artigianato",
            "Käsityöt",
            "Handwerk",
            "Artisanat",
            "Manualidades",
            "Handwerk",
        ),
    ),
    (
        "wellbeing",
        (
            "Wellbeing",
            "Gera savijauta",
            "Dobro počutje",
            "Benessere",
            "Hyvinvointi",
            "Wohlbefinden",
            "Bien-être",
            "Bienestar",
            "Welzijn",
        ),
    ),
]


def seed_interests(apps, schema_editor):
    Interest = apps.get_model("catalogue", "Interest")
    for position, (slug, names) in enumerate(DEFAULT_INTERESTS):
        Interest.objects.get_or_create(
            slug=slug,
            defaults={"names": dict(zip(LANGS, names, strict=True)), "position": position * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [
        *[
            migrations.RunSQL(
                SQL.format(name=name, base=base, stem=stem), reverse_sql=migrations.RunSQL.noop
            )
            for name, base, stem in CONFIGURATIONS
        ],
        migrations.RunPython(seed_interests, migrations.RunPython.noop),
        # Keep activity rows small: descriptions and search vectors go to TOAST storage,
        # so counting and filtering read a narrow table (53 MB -> 14 MB for 20,000).
        migrations.RunSQL(
            "ALTER TABLE catalogue_activity SET (toast_tuple_target = 256)",
            reverse_sql="ALTER TABLE catalogue_activity RESET (toast_tuple_target)",
        ),
        # ...but the small columns every search reads (filters, ranking) stay in the row.
        migrations.RunSQL(
            "ALTER TABLE catalogue_activity "
            + ", ".join(
                f"ALTER COLUMN {column} SET STORAGE MAIN"
                for column in ("rank_vector", "days", "interest_ids", "accessibility", "languages")
            ),
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
