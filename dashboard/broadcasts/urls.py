app_name = "broadcasts"

urlpatterns: list = []
