from django.urls import path

from dashboard.jobs import views

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
]
