"""Awarding, revoking and the ways to earn a badge."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from tenant_apps.badges import actions, identity
from tenant_apps.badges.events import PlaylistCompleted, award_for_playlist_completion
from tenant_apps.badges.models import Application, Award, ClaimCode, StatusList
from tenant_apps.badges.statuslist import bit_at
from tenants.models import Territory
from tests.tenant_apps.badges.factories import award, in_territory, make_badge


def test_an_award_has_a_hashed_recipient_and_a_signed_credential(territory_a: Territory) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        made = award(territory_a, badge, "Ada.Lovelace@Example.org ")
        assert made.recipient_email == "ada.lovelace@example.org"
        assert made.recipient_hash == identity.hash_identity(
            "ada.lovelace@example.org", made.recipient_salt
        )
        assert made.recipient_hash.startswith("sha256$")
        credential = made.credential
        assert credential["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
        assert credential["issuer"]["id"] == "did:web:aurora.localhost"
        assert credential["credentialStatus"]["statusListIndex"] == str(made.status_index)
        # Neither the address nor any part of it; "ada" alone also turns up by chance in
        # the hex hash and the base58 proof (about 1 run in 50).
        text = str(credential).lower()
        assert "lovelace" not in text
        assert "example.org" not in text
        assert made.recipient_hash in str(credential)
        assert AuditEntry.objects.filter(action="badges.awarded", territory=territory_a).exists()


def test_an_award_links_to_the_recipients_account(
    territory_a: Territory, user: Callable[[str], User]
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        made = award(territory_a, badge, "ada@example.org")
        assert made.recipient_user_id == user("ada").pk


def test_the_same_person_cannot_hold_a_badge_twice(territory_a: Territory) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        award(territory_a, badge, "twice@example.org")
        with pytest.raises(actions.AwardError):
            award(territory_a, badge, "TWICE@example.org")


def test_revocation_sets_the_status_bit_and_resigns_the_list(territory_a: Territory) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        made = award(territory_a, badge)
        status = StatusList.objects.get(pk=made.status_list_id)
        assert not bit_at(bytes(status.bits), made.status_index)
        old_proof = status.credential["proof"][0]["proofValue"]
        with pytest.raises(ValidationError):
            actions.revoke_award(territory=territory_a, award=made, reason=" ", acting_user=None)
        actions.revoke_award(
            territory=territory_a, award=made, reason="Given by mistake", acting_user=None
        )
        status.refresh_from_db()
        assert bit_at(bytes(status.bits), made.status_index)
        assert status.credential["proof"][0]["proofValue"] != old_proof
        made.refresh_from_db()
        assert made.is_revoked and made.revocation_reason == "Given by mistake"
        # Once revoked, the badge may be awarded again (a corrected award).
        assert award(territory_a, badge).pk != made.pk


def test_expiry_comes_from_the_badge(territory_a: Territory) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a, expires_after_days=30)
        made = award(territory_a, badge)
        assert made.expires_on == made.issued_on + timedelta(days=30)
        assert made.credential["validUntil"]


def test_bulk_award_skips_holders_and_uses_random_status_slots(territory_a: Territory) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        award(territory_a, badge, "p0@example.org")
        made = actions.award_many(
            territory=territory_a,
            badge_class=badge,
            recipients=[actions.Recipient(email=f"p{i}@example.org") for i in range(6)],
            source=Award.Source.BULK,
        )
        assert len(made) == 5
        indices = sorted(a.status_index for a in Award.objects.filter(badge_class=badge))
        assert len(set(indices)) == 6
        assert indices != list(range(indices[0], indices[0] + 6))  # not consecutive


def test_a_meta_badge_follows_from_holding_its_required_badges(territory_a: Territory) -> None:
    with in_territory(territory_a):
        first, second = make_badge(territory_a, "First"), make_badge(territory_a, "Second")
        meta = make_badge(territory_a, "Both", required=[first, second])
        award(territory_a, first, "meta@example.org")
        assert not actions.holds(meta, "meta@example.org")
        award(territory_a, second, "meta@example.org")
        meta_award = Award.objects.get(badge_class=meta, recipient_email="meta@example.org")
        assert meta_award.source == Award.Source.META


def test_a_meta_badge_cannot_require_itself_in_a_circle(territory_a: Territory) -> None:
    with in_territory(territory_a):
        first = make_badge(territory_a, "First")
        meta = make_badge(territory_a, "Meta", required=[first])
        data = actions.BadgeClassData(
            name="First",
            description="d",
            criteria_narrative="c",
            criteria_requirements=[],
            tags=[],
            alignments=[],
            expires_after_days=None,
            accepts_applications=True,
            required_badges=[meta],
        )
        with pytest.raises(ValidationError):
            actions.update_badge_class(
                territory=territory_a, badge=first, data=data, image=None, acting_user=None
            )


def test_playlist_completion_awards_the_completion_badge_once(
    territory_a: Territory, user: Callable[[str], User]
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a, "Playlist done")
        event = PlaylistCompleted(
            playlist_id=7,
            playlist_title="City discovery",
            playlist_url="http://aurora.localhost/playlists/7/",
            user_id=user("ada").pk,
            completed_at=timezone.now(),
            badge_class_id=badge.pk,
        )
        made = award_for_playlist_completion(territory=territory_a, event=event)
        assert [a.source for a in made] == [Award.Source.PLAYLIST]
        assert made[0].evidence_url == "http://aurora.localhost/playlists/7/"
        assert made[0].credential["evidence"][0]["id"] == "http://aurora.localhost/playlists/7/"
        assert award_for_playlist_completion(territory=territory_a, event=event) == []
        no_badge = PlaylistCompleted(**{**event.__dict__, "badge_class_id": None})
        assert award_for_playlist_completion(territory=territory_a, event=no_badge) == []


def _code(territory: Territory, badge, **extra) -> ClaimCode:
    now = timezone.now()
    defaults = {"valid_from": now - timedelta(hours=1), "valid_until": now + timedelta(hours=1)}
    return actions.create_claim_codes(
        territory=territory, badge_class=badge, acting_user=None, **{**defaults, **extra}
    )[0]


def test_claim_codes_respect_window_uses_and_one_claim_per_person(
    territory_a: Territory, user: Callable[[str], User]
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        code = _code(territory_a, badge, max_uses=1)
        made = actions.claim_with_code(
            territory=territory_a, code=code.code.lower(), user=user("ada")
        )
        assert made.source == Award.Source.CLAIM_CODE and made.recipient_user_id == user("ada").pk
        with pytest.raises(actions.AwardError, match="as many times"):
            actions.claim_with_code(territory=territory_a, code=code.code, user=user("alan"))
        later = _code(
            territory_a,
            badge,
            valid_from=timezone.now() + timedelta(days=1),
            valid_until=timezone.now() + timedelta(days=2),
        )
        with pytest.raises(actions.AwardError, match="yet"):
            actions.claim_with_code(territory=territory_a, code=later.code, user=user("alan"))
        shared = _code(territory_a, badge)
        with pytest.raises(actions.AwardError, match="already hold"):
            actions.claim_with_code(territory=territory_a, code=shared.code, user=user("ada"))
        with pytest.raises(actions.AwardError, match="not valid"):
            actions.claim_with_code(territory=territory_a, code="NOPE1234", user=user("ada"))


def test_expired_code_is_refused(territory_a: Territory, user: Callable[[str], User]) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        code = _code(territory_a, badge)
        ClaimCode.objects.filter(pk=code.pk).update(valid_until=timezone.now() - timedelta(1))
        with pytest.raises(actions.AwardError, match="expired"):
            actions.claim_with_code(territory=territory_a, code=code.code, user=user("ada"))


def test_one_code_per_attendee(territory_a: Territory, user: Callable[[str], User]) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        now = timezone.now()
        codes = actions.create_claim_codes(
            territory=territory_a,
            badge_class=badge,
            valid_from=now,
            valid_until=now + timedelta(days=1),
            single_use_count=25,
            acting_user=None,
        )
        assert len({c.code for c in codes}) == 25
        assert all(c.single_use and c.max_uses == 1 for c in codes)
        actions.claim_with_code(territory=territory_a, code=codes[0].code, user=user("ada"))
        with pytest.raises(actions.AwardError):
            actions.claim_with_code(territory=territory_a, code=codes[0].code, user=user("alan"))


def test_application_review_cycle(territory_a: Territory, user: Callable[[str], User]) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        application = actions.apply_for_badge(
            badge_class=badge,
            user=user("ada"),
            statement="I did it",
            evidence=[actions.EvidenceInput(url="https://example.org/my-work")],
        )
        with pytest.raises(actions.AwardError):
            actions.apply_for_badge(badge_class=badge, user=user("ada"), statement="x", evidence=[])
        with pytest.raises(ValidationError):
            actions.review_application(
                territory=territory_a,
                application=application,
                decision="improve",
                comment="",
                acting_user=user("anna"),
            )
        actions.review_application(
            territory=territory_a,
            application=application,
            decision="improve",
            comment="Add a photo",
            acting_user=user("anna"),
        )
        actions.resubmit_application(
            application=application,
            user=user("ada"),
            statement="I did it, photo attached",
            evidence=[],
        )
        approved = actions.review_application(
            territory=territory_a,
            application=application,
            decision="approve",
            comment="",
            acting_user=user("anna"),
        )
        assert approved.status == Application.Status.APPROVED
        assert approved.award is not None and approved.award.recipient_user_id == user("ada").pk
        with pytest.raises(actions.AwardError):
            actions.review_application(
                territory=territory_a,
                application=approved,
                decision="reject",
                comment="no",
                acting_user=user("anna"),
            )


def test_provider_issuer_has_a_path_did(territory_a: Territory) -> None:
    with in_territory(territory_a):
        issuer = actions.create_provider_issuer(
            territory=territory_a, name="Makers Club", email="hi@makers.example"
        )
        assert issuer.kind == "provider" and issuer.slug == "makers-club"
        assert (
            identity.issuer_did(territory_a, issuer)
            == "did:web:aurora.localhost:issuers:makers-club"
        )
        badge = make_badge(territory_a, issuer=issuer)
        made = award(territory_a, badge)
        assert made.credential["proof"][0]["verificationMethod"] == (
            "did:web:aurora.localhost:issuers:makers-club#key-1"
        )
        with pytest.raises(ValidationError):
            actions.create_provider_issuer(
                territory=territory_a, name="Makers Club", email="hi@makers.example"
            )
