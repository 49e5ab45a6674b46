from django.urls import path

from shared_apps.ops import views

app_name = "ops"
urlpatterns = [
    path("failed-tasks/", views.failed_tasks, name="failed_tasks"),
    path(
        "failed-tasks/<int:pk>/retry/",
        views.failed_task_action,
        {"action": "retry"},
        name="retry_failed_task",
    ),
    path(
        "failed-tasks/<int:pk>/discard/",
        views.failed_task_action,
        {"action": "discard"},
        name="discard_failed_task",
    ),
]
