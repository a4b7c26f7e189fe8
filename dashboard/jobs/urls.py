from django.urls import path

from dashboard.jobs import bulk, views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:job_id>/", views.job_detail, name="detail"),
    path("<int:job_id>/start/", views.start_job, name="start"),
    path("<int:job_id>/pause/", views.pause_job, name="pause"),
    path("<int:job_id>/resume/", views.resume_job, name="resume"),
    path("<int:job_id>/cancel/", views.cancel_job, name="cancel"),
    path("<int:job_id>/retry-failed/", views.retry_failed, name="retry_failed"),
    path("<int:job_id>/retry-unknown/", views.retry_unknown, name="retry_unknown"),
    path("<int:job_id>/report.csv", views.report, name="report"),
    path("<int:job_id>/download/", views.download, name="download"),
    path("new/visitors-tags/", bulk.visitors_tags, name="new_visitors_tags"),
    path("new/visitors-delete/", bulk.visitors_delete, name="new_visitors_delete"),
    path("new/visitors-export/", bulk.visitors_export, name="new_visitors_export"),
    path(
        "new/conversations-resolve/", bulk.conversations_resolve, name="new_conversations_resolve"
    ),
    path("new/conversations-assign/", bulk.conversations_assign, name="new_conversations_assign"),
    path("new/conversations-export/", bulk.conversations_export, name="new_conversations_export"),
    path("new/agents-invite/", bulk.agents_invite, name="new_agents_invite"),
]
