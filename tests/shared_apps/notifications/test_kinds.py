"""Each kind of notification, emitted by the real action that causes it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.notifications import kinds
from shared_apps.notifications.models import Notification
from shared_apps.ops.models import OutboundEmail
from tenant_apps.badges import actions as badges
from tenant_apps.catalogue import actions as catalogue
from tenant_apps.catalogue.models import Activity, Provider
from tenant_apps.playlists import actions as playlists
from tenants.models import Territory
from tests.shared_apps.guardians.factories import just_turned, make_learner
from tests.tenant_apps.badges.factories import in_territory, make_badge
from tests.tenant_apps.catalogue.factories import make_activity
from tests.tenant_apps.playlists.factories import challenge, join, make_playlist, steps_of

UserOf = Callable[[str], User]


def only(user: User, kind: str) -> Notification:
    found = list(Notification.objects.filter(user=user, kind=kind))
    assert len(found) == 1, [n.kind for n in Notification.objects.filter(user=user)]
    return found[0]


def emails_to(user_or_address: User | str, kind: str) -> list[OutboundEmail]:
    address = user_or_address if isinstance(user_or_address, str) else user_or_address.email
    return list(OutboundEmail.objects.filter(to=[address], purpose=f"notifications/{kind}"))


def test_badge_awarded(territory_a: Territory, user: UserOf) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a, "Bike mechanic")
        award = badges.award_badge(
            territory=territory_a,
            badge_class=badge,
            recipient=badges.recipient_for_user(user("ada")),
            source="manual",
            acting_user=user("anna"),
        )
    notification = only(user("ada"), kinds.BADGE_AWARDED)
    assert notification.territory == territory_a
    assert notification.params == {"badge": "Bike mechanic"}
    assert notification.path == f"/badges/awards/{award.uuid}/"
    assert len(emails_to(user("ada"), kinds.BADGE_AWARDED)) == 1
    # Nobody else hears of it: not the admin who awarded it, not another learner.
    assert not Notification.objects.filter(territory=territory_a).exclude(user=user("ada")).exists()


def test_badge_application_improve_and_reject(territory_a: Territory, user: UserOf) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a, "Reporter")
        application = badges.apply_for_badge(
            badge_class=badge, user=user("ada"), statement="I did it", evidence=[]
        )
        badges.review_application(
            territory=territory_a,
            application=application,
            decision="improve",
            comment="Add a photo of your work",
            acting_user=user("anna"),
        )
        badges.resubmit_application(
            application=application, user=user("ada"), statement="Photo added", evidence=[]
        )
        badges.review_application(
            territory=territory_a,
            application=application,
            decision="reject",
            comment="Not this time",
            acting_user=user("anna"),
        )
    improve = only(user("ada"), kinds.EVIDENCE_IMPROVE)
    assert improve.path == f"/badges/applications/{application.pk}/"
    # The reviewer's comment stays on the page behind the link, out of the list and mail.
    assert "photo" not in str(improve.params).lower()
    only(user("ada"), kinds.EVIDENCE_REJECTED)
    assert "Not this time" not in emails_to(user("ada"), kinds.EVIDENCE_REJECTED)[0].body


def test_playlist_evidence_reviews_and_step_unlocked(territory_a: Territory, user: UserOf) -> None:
    playlist = make_playlist(
        territory_a,
        user("anna"),
        "Young journalist",
        steps=[challenge("Interview a neighbour"), challenge("Write the article")],
        is_ordered=True,
    )
    join(territory_a, playlist, user("ada"))
    first, _second = steps_of(territory_a, playlist)
    with tenant_context(territory_a):
        progress = playlists.submit_evidence(
            playlist=playlist, step=first, territory=territory_a, user=user("ada"), text="x"
        )
        playlists.review_evidence(
            progress=progress,
            territory=territory_a,
            reviewer=user("anna"),
            decision="improve",
            comment="Tell more",
        )
        progress = playlists.submit_evidence(
            playlist=playlist, step=first, territory=territory_a, user=user("ada"), text="more"
        )
        playlists.review_evidence(
            progress=progress, territory=territory_a, reviewer=user("anna"), decision="approve"
        )
    assert only(user("ada"), kinds.EVIDENCE_IMPROVE).params == {"title": "Interview a neighbour"}
    assert only(user("ada"), kinds.EVIDENCE_APPROVED).path == f"/playlists/{playlist.pk}/progress/"
    unlocked = only(user("ada"), kinds.STEP_UNLOCKED)
    assert unlocked.params == {"playlist": "Young journalist", "step": "Write the article"}


def test_playlist_evidence_rejected(territory_a: Territory, user: UserOf) -> None:
    playlist = make_playlist(territory_a, user("anna"))
    join(territory_a, playlist, user("ada"))
    with tenant_context(territory_a):
        progress = playlists.submit_evidence(
            playlist=playlist,
            step=steps_of(territory_a, playlist)[0],
            territory=territory_a,
            user=user("ada"),
            text="x",
        )
        playlists.review_evidence(
            progress=progress,
            territory=territory_a,
            reviewer=user("anna"),
            decision="reject",
            comment="Copied",
        )
    only(user("ada"), kinds.EVIDENCE_REJECTED)
    # An unordered playlist has no locked steps to open.
    assert not Notification.objects.filter(user=user("ada"), kind=kinds.STEP_UNLOCKED).exists()


def test_activity_approved_and_returned(
    territory_a: Territory, user: UserOf, provider_a: Provider
) -> None:
    activity = make_activity(
        territory_a, provider_a, "Chess club", status=Activity.Status.SUBMITTED
    )
    with tenant_context(territory_a):
        catalogue.approve_activity(
            activity=activity, territory=territory_a, acting_user=user("anna")
        )
        catalogue.return_activity(
            activity=activity, territory=territory_a, acting_user=user("anna"), reason="Fix dates"
        )
    approved = only(user("alan"), kinds.ACTIVITY_APPROVED)
    assert approved.params == {"title": "Chess club"}
    assert approved.path == f"/studio/{provider_a.pk}/activities/{activity.pk}/"
    only(user("alan"), kinds.ACTIVITY_RETURNED)
    assert (
        not Notification.objects.filter(territory=territory_a).exclude(user=user("alan")).exists()
    )


def test_provider_invited_with_and_without_an_account(
    territory_a: Territory, user: UserOf, provider_a: Provider
) -> None:
    with tenant_context(territory_a):
        for address in ("ada@example.org", "nobody@example.org"):
            catalogue.invite_provider_staff(
                provider=provider_a,
                territory=territory_a,
                acting_user=user("alan"),
                email=address,
                role="editor",
            )
    invited = only(user("ada"), kinds.PROVIDER_INVITED)
    assert invited.path.startswith("/studio/invitations/")
    (to_account,) = emails_to(user("ada"), kinds.PROVIDER_INVITED)
    (to_address,) = emails_to("nobody@example.org", kinds.PROVIDER_INVITED)
    # No account: the territory's language (aurora speaks Lithuanian).
    assert to_address.language == "lt"
    assert f"{territory_a.host}/studio/invitations/" in to_address.body
    assert "Žirmūnų jaunimo centras" in to_account.body


def test_an_organisation_invitation_names_the_organisation(territory_a: Territory) -> None:
    from shared_apps.notifications.actions import send_invitation

    send_invitation(
        email="new-org@example.org",
        territory=territory_a,
        path="/join-as-provider/x/",
        days=7,
        organisation="Riverside Youth Club",
    )
    (email,) = emails_to("new-org@example.org", kinds.ORGANISATION_INVITED)
    assert "http://aurora.localhost/join-as-provider/x/" in email.body
    assert "Riverside Youth Club" in email.body


def test_guardian_consent_needed(territory_a: Territory) -> None:
    child = make_learner("kid@example.org", just_turned(12), territory_a)
    notification = only(child, kinds.CONSENT_NEEDED)
    assert notification.path == "/account/"
    assert len(emails_to(child, kinds.CONSENT_NEEDED)) == 1
    adult = make_learner("grown@example.org", just_turned(30), territory_a)
    assert not Notification.objects.filter(user=adult).exists()


def test_nothing_for_a_refused_action(territory_a: Territory, user: UserOf) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        application = badges.apply_for_badge(
            badge_class=badge, user=user("ada"), statement="x", evidence=[]
        )
        with pytest.raises(ValidationError):
            badges.review_application(
                territory=territory_a,
                application=application,
                decision="reject",
                comment="",
                acting_user=user("anna"),
            )
    assert not Notification.objects.filter(territory=territory_a).exists()
