from django.urls import path

from tenant_apps.catalogue.views import public, studio

app_name = "catalogue"
urlpatterns = [
    path("activities/", public.activity_search, name="search"),
    path("activities/<int:pk>/", public.activity_detail, name="activity"),
    path("activities/<int:pk>/calendar.ics", public.activity_calendar, name="calendar"),
    path("activities/<int:pk>/save/", public.toggle_saved, name="save"),
    path("activities/<int:pk>/interested/", public.interested, name="interested"),
    path("saved/", public.saved_list, name="saved"),
    path("providers/", public.provider_list, name="providers"),
    path("providers/<slug:slug>/", public.provider_detail, name="provider"),
    path("for-providers/", public.for_providers, name="for_providers"),
    path("for-providers/register/", public.register_provider, name="register_provider"),
    # The provider area.
    path("studio/", studio.studio_home, name="studio_home"),
    path("studio/<int:provider_id>/", studio.studio, name="studio"),
    path("studio/<int:provider_id>/profile/", studio.edit_provider, name="edit_provider"),
    path("studio/<int:provider_id>/staff/", studio.add_staff, name="add_staff"),
    path(
        "studio/<int:provider_id>/invitations/<int:invitation_id>/revoke/",
        studio.revoke_invitation,
        name="revoke_invitation",
    ),
    path("studio/invitations/<str:token>/", studio.invitation, name="invitation"),
    path(
        "studio/<int:provider_id>/staff/<int:staff_id>/remove/",
        studio.remove_staff,
        name="remove_staff",
    ),
    path("studio/<int:provider_id>/venues/new/", studio.new_venue, name="new_venue"),
    path("studio/<int:provider_id>/venues/places/", studio.geocode, name="geocode"),
    path("studio/<int:provider_id>/venues/<int:venue_id>/", studio.edit_venue, name="edit_venue"),
    path(
        "studio/<int:provider_id>/venues/<int:venue_id>/delete/",
        studio.delete_venue,
        name="delete_venue",
    ),
    path("studio/<int:provider_id>/activities/new/", studio.new_activity, name="new_activity"),
    path(
        "studio/<int:provider_id>/activities/<int:activity_id>/",
        studio.edit_activity,
        name="edit_activity",
    ),
    path(
        "studio/<int:provider_id>/activities/<int:activity_id>/autosave/",
        studio.autosave_activity,
        name="autosave_activity",
    ),
    path(
        "studio/<int:provider_id>/activities/<int:activity_id>/discard/",
        studio.discard_autosave,
        name="discard_autosave",
    ),
    path(
        "studio/<int:provider_id>/activities/<int:activity_id>/interested/",
        studio.interested_list,
        name="interested_list",
    ),
    path(
        "studio/<int:provider_id>/activities/<int:activity_id>/translations/",
        studio.activity_translations,
        name="activity_translations",
    ),
    path(
        "studio/<int:provider_id>/activities/<int:activity_id>/<slug:change>/",
        studio.change_activity_status,
        name="activity_status",
    ),
]
