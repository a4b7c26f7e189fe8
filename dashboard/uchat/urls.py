from django.urls import path

from dashboard.uchat import bulk, views

app_name = "uchat"

urlpatterns = [
    path("", views.subscriber_list, name="list"),
    # Before <user_ns>/: "bulk" is a slug too (flow tags live under /uchat/tags/, tag_urls.py).
    path("bulk/tags/", bulk.tag_all, name="bulk_tags"),
    path("<slug:user_ns>/", views.subscriber_detail, name="detail"),
    path("<slug:user_ns>/tags/", views.subscriber_tags, name="tags_of"),
    path("<slug:user_ns>/fields/", views.subscriber_field, name="field"),
]
