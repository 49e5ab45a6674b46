"""The demo playlists: each demo territory gets two, in its own language, built from
its demo catalogue; the demo learner has completed the first one (and earned its badge)
with evidence for an optional step still waiting for review.

- "City discovery path" (curated by the territory, ordered, one of its two optional
  steps needed), crowned by the demo badge "demo-discovery".
- A provider's "Maker path" (free order, with a step completed by check-in).

Idempotent: a territory that has any playlist is left alone.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from shared_apps.core.demo import demo_step
from tenant_apps.badges.models import BadgeClass
from tenant_apps.catalogue.models import Activity, Provider
from tenant_apps.playlists import actions
from tenant_apps.playlists.models import Playlist, Step
from tenants.models import Territory

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "discovery": "City discovery path",
        "discovery_text": "Find your way into the city's learning places, one step at a time.",
        "map": "Draw a map of your favourite places to learn",
        "map_text": "Mark three places where you learnt something this month. Add a photo.",
        "maker": "Maker path",
        "maker_text": "Build, program and show what you made.",
        "show": "Show your project at the open evening",
    },
    "lt": {
        "discovery": "Miesto atradimų kelias",
        "discovery_text": "Žingsnis po žingsnio atrask miesto mokymosi vietas.",
        "map": "Nupiešk mėgstamų mokymosi vietų žemėlapį",
        "map_text": "Pažymėk tris vietas, kur šį mėnesį ko nors išmokai. Pridėk nuotrauką.",
        "maker": "Kūrėjo kelias",
        "maker_text": "Kurk, programuok ir parodyk, ką padarei.",
        "show": "Pristatyk savo projektą atvirame vakare",
    },
    "sl": {
        "discovery": "Pot odkrivanja mesta",
        "discovery_text": "Korak za korakom odkrij mestne kraje za učenje.",
        "map": "Nariši zemljevid svojih najljubših krajev za učenje",
        "map_text": "Označi tri kraje, kjer si se ta mesec kaj naučil. Dodaj fotografijo.",
        "maker": "Pot ustvarjalca",
        "maker_text": "Gradi, programiraj in pokaži, kaj si naredil.",
        "show": "Predstavi svoj projekt na odprtem večeru",
    },
    "it": {
        "discovery": "Percorso alla scoperta della città",
        "discovery_text": "Scopri passo dopo passo i luoghi dove imparare in città.",
        "map": "Disegna la mappa dei tuoi luoghi preferiti per imparare",
        "map_text": "Segna tre luoghi dove hai imparato qualcosa questo mese. Aggiungi una foto.",
        "maker": "Percorso maker",
        "maker_text": "Costruisci, programma e mostra ciò che hai creato.",
        "show": "Presenta il tuo progetto alla serata aperta",
    },
    "fi": {
        "discovery": "Kaupungin löytöretki",
        "discovery_text": "Löydä kaupungin oppimispaikat askel kerrallaan.",
        "map": "Piirrä kartta lempipaikoistasi oppia",
        "map_text": "Merkitse kolme paikkaa, joissa opit jotain tässä kuussa. Lisää kuva.",
        "maker": "Tekijän polku",
        "maker_text": "Rakenna, ohjelmoi ja näytä, mitä teit.",
        "show": "Esittele projektisi avoimessa illassa",
    },
}


@demo_step(order=60)
def load_playlists(territory: Territory, users: dict[str, Any]) -> None:
    if Playlist.objects.exists():
        return
    text = TEXTS.get(territory.default_language, TEXTS["en"])
    admin = users.get(f"admin.{territory.slug}")
    learner = users.get(f"learner.{territory.slug}")
    local = list(
        Activity.objects.filter(is_public=True, venue__isnull=False, format="local").order_by("id")[
            :4
        ]
    )
    online = Activity.objects.filter(is_public=True, format="online").order_by("id").first()
    if admin is None or len(local) < 4:
        return
    with transaction.atomic():
        discovery = actions.create_playlist(
            territory=territory,
            acting_user=admin,
            data=actions.PlaylistData(
                title=text["discovery"],
                description=text["discovery_text"],
                is_ordered=True,
                min_optional=1,
                estimated_hours=12,
                badge_class=BadgeClass.objects.filter(slug="demo-discovery").first(),
            ),
        )
        first = actions.add_step(playlist=discovery, kind=Step.Kind.ACTIVITY, activity=local[0])
        second = actions.add_step(playlist=discovery, kind=Step.Kind.ACTIVITY, activity=local[1])
        challenge = actions.add_step(
            playlist=discovery,
            kind=Step.Kind.CHALLENGE,
            title=text["map"],
            instructions=text["map_text"],
            is_required=False,
        )
        online_step = None
        if online is not None:
            online_step = actions.add_step(
                playlist=discovery, kind=Step.Kind.ACTIVITY, activity=online, is_required=False
            )
        actions.submit_playlist(
            playlist=discovery, territory=territory, acting_user=admin, is_admin=True
        )

        provider = Provider.objects.filter(status=Provider.Status.VERIFIED).order_by("pk").first()
        maker = actions.create_playlist(
            territory=territory,
            acting_user=admin,
            data=actions.PlaylistData(
                title=text["maker"], description=text["maker_text"], estimated_hours=20
            ),
            provider=provider,
        )
        for activity in local[2:]:
            actions.add_step(playlist=maker, kind=Step.Kind.ACTIVITY, activity=activity)
        actions.add_step(
            playlist=maker,
            kind=Step.Kind.CHALLENGE,
            title=text["show"],
            completion=Step.Completion.CHECK_IN,
        )
        actions.submit_playlist(
            playlist=maker, territory=territory, acting_user=admin, is_admin=True
        )

        if learner is not None:
            # The demo learner has completed the discovery path (its completion badge
            # is awarded by the completion event once this commits) and has evidence
            # for an optional step waiting in the review queue.
            actions.join_playlist(playlist=discovery, territory=territory, user=learner)
            for step in (first, second, challenge):
                progress = actions.submit_evidence(
                    playlist=discovery,
                    step=step,
                    territory=territory,
                    user=learner,
                    text=text["discovery_text"],
                    url=territory.url,
                )
                actions.review_evidence(
                    progress=progress, territory=territory, reviewer=admin, decision="approve"
                )
            if online_step is not None:
                actions.submit_evidence(
                    playlist=discovery,
                    step=online_step,
                    territory=territory,
                    user=learner,
                    text=text["discovery_text"],
                )
