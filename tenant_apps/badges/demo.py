"""Demo badges of each demo territory (idempotent: `make run` loads the demo every start).

Each territory gets its own issuer and a provider issuer, five badges in its colours
(one a meta badge, one meant to crown a playlist), awards to the demo learner (who then
earns the meta badge), a revoked award, an open application and a claim code.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from shared_apps.core.demo import demo_step
from tenant_apps.badges import actions, images
from tenant_apps.badges.models import Application, Award, BadgeClass, ClaimCode, Issuer
from tenants.models import Territory

DIGCOMP = "https://publications.jrc.ec.europa.eu/repository/handle/JRC128415"
ENTRECOMP = "https://publications.jrc.ec.europa.eu/repository/handle/JRC101581"
LIFECOMP = "https://publications.jrc.ec.europa.eu/repository/handle/JRC120911"

# name, description, criteria per language (the territory's own, English otherwise).
TEXTS: dict[str, dict[str, tuple[str, str, str]]] = {
    "volunteer": {
        "en": (
            "Volunteer",
            "Gave at least 20 hours of their time to a local organisation.",
            "Volunteer 20 hours or more and describe what you did and learned.",
        ),
        "lt": (
            "Savanoris",
            "Skyrė bent 20 valandų savo laiko vietos organizacijai.",
            "Savanoriauk 20 valandų ar daugiau ir aprašyk, ką veikei ir ko išmokai.",
        ),
        "sl": (
            "Prostovoljec",
            "Lokalni organizaciji je namenil vsaj 20 ur svojega časa.",
            "Prostovoljno delaj vsaj 20 ur in opiši, kaj si delal in se naučil.",
        ),
        "it": (
            "Volontario",
            "Ha dedicato almeno 20 ore del suo tempo a un'organizzazione locale.",
            "Fai almeno 20 ore di volontariato e racconta cosa hai fatto e imparato.",
        ),
        "fi": (
            "Vapaaehtoinen",
            "Antoi vähintään 20 tuntia aikaansa paikalliselle järjestölle.",
            "Tee vapaaehtoistyötä vähintään 20 tuntia ja kerro, mitä teit ja opit.",
        ),
    },
    "maker": {
        "en": (
            "Digital maker",
            "Built a working project in a makerspace workshop.",
            "Take part in a maker workshop and build something that works.",
        ),
        "lt": (
            "Skaitmeninis kūrėjas",
            "Kūrybinėse dirbtuvėse sukūrė veikiantį projektą.",
            "Dalyvauk kūrybinėse dirbtuvėse ir sukurk tai, kas veikia.",
        ),
        "sl": (
            "Digitalni ustvarjalec",
            "V ustvarjalni delavnici je izdelal delujoč projekt.",
            "Sodeluj v ustvarjalni delavnici in izdelaj nekaj, kar deluje.",
        ),
        "it": (
            "Maker digitale",
            "Ha costruito un progetto funzionante in un laboratorio maker.",
            "Partecipa a un laboratorio maker e costruisci qualcosa che funziona.",
        ),
        "fi": (
            "Digitaalinen tekijä",
            "Rakensi toimivan projektin maker-pajassa.",
            "Osallistu maker-pajaan ja rakenna jotain, joka toimii.",
        ),
    },
    "entrepreneur": {
        "en": (
            "Young entrepreneur",
            "Turned an idea into a plan and pitched it to an audience.",
            "Write a one-page plan for your idea and pitch it at a local event.",
        ),
        "lt": (
            "Jaunasis verslininkas",
            "Idėją pavertė planu ir pristatė ją auditorijai.",
            "Parašyk vieno puslapio savo idėjos planą ir pristatyk jį renginyje.",
        ),
        "sl": (
            "Mladi podjetnik",
            "Idejo je spremenil v načrt in jo predstavil občinstvu.",
            "Napiši enostranski načrt svoje ideje in ga predstavi na dogodku.",
        ),
        "it": (
            "Giovane imprenditore",
            "Ha trasformato un'idea in un piano e l'ha presentata a un pubblico.",
            "Scrivi un piano di una pagina per la tua idea e presentalo a un evento.",
        ),
        "fi": (
            "Nuori yrittäjä",
            "Muutti idean suunnitelmaksi ja esitteli sen yleisölle.",
            "Kirjoita ideastasi yhden sivun suunnitelma ja esittele se tapahtumassa.",
        ),
    },
    "explorer": {
        "en": (
            "Active citizen",
            "Holds both the Volunteer and the Digital maker badges.",
            "Earn the Volunteer and the Digital maker badges: this one follows by itself.",
        ),
        "lt": (
            "Aktyvus pilietis",
            "Turi ir Savanorio, ir Skaitmeninio kūrėjo ženklelius.",
            "Gauk Savanorio ir Skaitmeninio kūrėjo ženklelius: šis bus suteiktas savaime.",
        ),
        "sl": (
            "Aktiven državljan",
            "Ima znački Prostovoljec in Digitalni ustvarjalec.",
            "Pridobi znački Prostovoljec in Digitalni ustvarjalec: ta sledi sama.",
        ),
        "it": (
            "Cittadino attivo",
            "Possiede i badge Volontario e Maker digitale.",
            "Ottieni i badge Volontario e Maker digitale: questo arriva da solo.",
        ),
        "fi": (
            "Aktiivinen kansalainen",
            "Hänellä on sekä Vapaaehtoinen- että Digitaalinen tekijä -merkki.",
            "Ansaitse Vapaaehtoinen- ja Digitaalinen tekijä -merkit: tämä seuraa itsestään.",
        ),
    },
    "discovery": {
        "en": (
            "City discovery path",
            "Completed the city discovery learning playlist.",
            "Complete every required step of the city discovery playlist.",
        ),
        "lt": (
            "Miesto atradimų kelias",
            "Baigė miesto atradimų mokymosi grojaraštį.",
            "Atlik visus privalomus miesto atradimų grojaraščio žingsnius.",
        ),
        "sl": (
            "Pot odkrivanja mesta",
            "Zaključil je učni seznam odkrivanja mesta.",
            "Opravi vse obvezne korake učnega seznama odkrivanja mesta.",
        ),
        "it": (
            "Percorso alla scoperta della città",
            "Ha completato la playlist di apprendimento alla scoperta della città.",
            "Completa tutti i passi obbligatori della playlist alla scoperta della città.",
        ),
        "fi": (
            "Kaupungin löytöretki",
            "Suoritti kaupungin löytöretken oppimispolun.",
            "Suorita kaikki kaupungin löytöretken oppimispolun pakolliset vaiheet.",
        ),
    },
}

SHAPES = {
    "volunteer": "circle",
    "maker": "hexagon",
    "entrepreneur": "shield",
    "explorer": "star",
    "discovery": "circle",
}
ALIGNMENTS = {
    "volunteer": [{"framework": "LifeComp", "name": "Collaboration", "url": LIFECOMP}],
    "maker": [{"framework": "DigComp 2.2", "name": "3.4 Programming", "url": DIGCOMP}],
    "entrepreneur": [
        {"framework": "EntreComp", "name": "1.1 Spotting opportunities", "url": ENTRECOMP},
        {"framework": "EntreComp", "name": "3.5 Learning through experience", "url": ENTRECOMP},
    ],
}


def _badge(
    territory: Territory,
    key: str,
    issuer: Issuer,
    *,
    required: list[BadgeClass] | None = None,
    expires_after_days: int | None = None,
    accepts_applications: bool = True,
) -> BadgeClass:
    slug = f"demo-{key}"
    existing = BadgeClass.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    name, description, criteria = TEXTS[key].get(territory.default_language, TEXTS[key]["en"])
    return actions.create_badge_class(
        territory=territory,
        issuer=issuer,
        slug=slug,
        data=actions.BadgeClassData(
            name=name,
            description=description,
            criteria_narrative=criteria,
            criteria_requirements=[],
            tags=["demo", key],
            alignments=ALIGNMENTS.get(key, []),
            expires_after_days=expires_after_days,
            accepts_applications=accepts_applications,
            required_badges=required or [],
        ),
        image=images.from_template(
            label=name,
            primary=territory.primary_color,
            accent=territory.accent_color,
            shape=SHAPES[key],
        ),
        acting_user=None,
    )


def _award(territory: Territory, badge: BadgeClass, email: str, **extra: Any) -> None:
    if not Award.objects.filter(badge_class=badge, recipient_email=email).exists():
        actions.award_badge(
            territory=territory,
            badge_class=badge,
            recipient=actions.Recipient(email=email),
            source=Award.Source.MANUAL,
            **extra,
        )


@demo_step(order=50)
def load_badges(territory: Territory, users: dict[str, Any]) -> None:
    # The demo catalogue's providers are created verified, not verified by an admin.
    actions.ensure_issuers(territory)
    issuer = actions.ensure_territory_issuer(territory)
    provider = Issuer.objects.filter(slug=f"youth-centre-{territory.slug}").first()
    if provider is None:
        provider = actions.create_provider_issuer(
            territory=territory,
            name=f"Youth Centre {territory.name}",
            email=f"hello@youth-centre.{territory.host}",
            url=f"{territory.url}badges/",
            slug=f"youth-centre-{territory.slug}",
        )
    volunteer = _badge(territory, "volunteer", issuer)
    maker = _badge(territory, "maker", provider)
    entrepreneur = _badge(territory, "entrepreneur", issuer, expires_after_days=730)
    _badge(territory, "explorer", issuer, required=[volunteer, maker], accepts_applications=False)
    # Crowns the playlist of the same name once playlists exist (issue #4 wires it
    # through events.award_for_playlist_completion).
    _badge(territory, "discovery", issuer, accepts_applications=False)

    learner = users[f"learner.{territory.slug}"]
    _award(territory, volunteer, learner.email)
    _award(territory, maker, learner.email)  # completes the meta badge "Active citizen"
    _award(territory, entrepreneur, users["coordinator"].email)
    former = f"former.{territory.slug}@example.org"
    if not Award.objects.filter(badge_class=volunteer, recipient_email=former).exists():
        award = actions.award_badge(
            territory=territory,
            badge_class=volunteer,
            recipient=actions.Recipient(email=former),
            source=Award.Source.MANUAL,
        )
        actions.revoke_award(
            territory=territory,
            award=award,
            reason="Awarded by mistake (demo of a revoked badge)",
            acting_user=None,
        )
    if not Application.objects.filter(badge_class=entrepreneur).exists():
        actions.apply_for_badge(
            badge_class=entrepreneur,
            user=learner,
            statement="I wrote a plan for a bike repair corner at school and pitched it "
            "at the youth council. Link to my slides below.",
            evidence=[actions.EvidenceInput(url=f"{territory.url}badges/")],
        )
    code = f"MAKER{territory.slug.upper()}"
    if not ClaimCode.objects.filter(code=code).exists():
        now = timezone.now()
        ClaimCode.objects.create(
            badge_class=maker,
            code=code,
            label="Demo maker fair",
            valid_from=now - timedelta(days=1),
            valid_until=now + timedelta(days=365),
            max_uses=500,
        )
