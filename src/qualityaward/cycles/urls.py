app_name = "cycles"

urlpatterns: list = []
