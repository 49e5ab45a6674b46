from django.urls import path

from tenant_apps.playlists import views, views_studio

app_name = "playlists"
urlpatterns = [
    path("", views.playlist_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("shared/<str:token>/", views.shared_playlist, name="shared"),
    path("evidence/<int:progress_id>/file/", views.evidence_file, name="evidence_file"),
    path("<int:pk>/", views.playlist_detail, name="detail"),
    path("<int:pk>/join/", views.join, name="join"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/steps/<int:step_id>/evidence/", views.evidence, name="evidence"),
    # Organisers (and learners, for their personal playlists).
    path("studio/", views_studio.studio, name="studio"),
    path("studio/new/", views_studio.new_playlist, name="new"),
    path("studio/review/", views_studio.review_queue, name="review"),
    path("studio/review/<int:progress_id>/", views_studio.review_decision, name="review_decision"),
    path("studio/<int:pk>/", views_studio.edit_playlist, name="edit"),
    path("studio/<int:pk>/steps/", views_studio.add_step, name="add_step"),
    path(
        "studio/<int:pk>/steps/<int:step_id>/check-in/",
        views_studio.check_in,
        name="check_in",
    ),
    path(
        "studio/<int:pk>/steps/<int:step_id>/<slug:change>/",
        views_studio.change_step,
        name="change_step",
    ),
    path("studio/<int:pk>/figures/", views_studio.figures, name="figures"),
    path("studio/<int:pk>/translations/", views_studio.translations, name="translations"),
    path("studio/<int:pk>/<slug:change>/", views_studio.change_status, name="status"),
]
