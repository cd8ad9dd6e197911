from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.apps import apps

        # Wagtail's own customisation point for its user screens: ours audit who looked.
        apps.get_app_config(
            "wagtailusers"
        ).user_viewset = "portal.accounts.wagtail_hooks.AuditedUserViewSet"
