app_name = "visitors"

urlpatterns: list = []
