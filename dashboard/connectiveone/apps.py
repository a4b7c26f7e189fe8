from django.apps import AppConfig


class ConnectiveOneConfig(AppConfig):
    # Pages over the workspace's ConnectiveOne instance; its client is dashboard.platforms.
    # connectiveone (a module, not an app), so the two names do not clash.
    name = "dashboard.connectiveone"
    label = "connectiveone"
    verbose_name = "ConnectiveOne"
