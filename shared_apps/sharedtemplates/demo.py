"""Demo: the network ships a few templates (an interest list, a badge, a playlist) that
the demo territories can adopt from their admin area. Published through the same
action as the coordinator's form; a template already there is left alone."""

from __future__ import annotations

import json
from typing import Any

from shared_apps.core.demo import demo_step
from shared_apps.sharedtemplates.actions import publish_template
from shared_apps.sharedtemplates.models import NetworkTemplate

TEMPLATES: list[tuple[str, str, Any]] = [
    (
        NetworkTemplate.Kind.INTERESTS,
        "Media and storytelling",
        [
            {
                "slug": "podcasting",
                "names": {
                    "en": "Podcasting",
                    "lt": "Tinklalaidės",
                    "sl": "Podkasti",
                    "it": "Podcast",
                    "fi": "Podcastit",
                },
            },
            {
                "slug": "journalism",
                "names": {
                    "en": "Journalism",
                    "lt": "Žurnalistika",
                    "sl": "Novinarstvo",
                    "it": "Giornalismo",
                    "fi": "Journalismi",
                },
            },
            {
                "slug": "film",
                "names": {
                    "en": "Film making",
                    "lt": "Kino kūrimas",
                    "sl": "Filmsko ustvarjanje",
                    "it": "Cinema",
                    "fi": "Elokuvanteko",
                },
            },
        ],
    ),
    (
        NetworkTemplate.Kind.BADGE_CLASS,
        "Young reporter",
        {
            "name": "Young reporter",
            "description": "Researched, wrote and published a story about their neighbourhood.",
            "criteria_narrative": "Publish one story about a question from your neighbourhood.",
            "criteria_requirements": ["Interview at least two people", "Publish the story"],
            "tags": ["media", "journalism"],
            "alignments": [
                {
                    "framework": "DigComp 2.2",
                    "name": "3.1 Developing digital content",
                    "url": "https://joint-research-centre.ec.europa.eu/digcomp_en",
                }
            ],
        },
    ),
    (
        NetworkTemplate.Kind.PLAYLIST,
        "Become a young journalist",
        {
            "title": "Become a young journalist",
            "description": "From a question to a published story, in four challenges.",
            "estimated_hours": 12,
            "steps": [
                {"title": "Find a question", "instructions": "Ask ten people what bothers them."},
                {"title": "Interview two people", "instructions": "Record or write it down."},
                {"title": "Record a podcast", "instructions": "", "required": False},
                {"title": "Publish your story", "instructions": "Share it where people read."},
            ],
        },
    ),
]


@demo_step(order=80, scope="network")
def network_templates(territories: Any, users: Any) -> None:
    for kind, name, payload in TEMPLATES:
        if NetworkTemplate.objects.filter(kind=kind, name=name).exists():
            continue
        publish_template(
            name=name,
            payload_text=json.dumps(payload),
            acting_user=users.get("coordinator"),
            kind=kind,
        )
