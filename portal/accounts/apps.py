from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.apps import apps
        from django.contrib.auth.signals import user_logged_in

        from portal import crypto
        from portal.accounts import checks  # noqa: F401  (registers the deploy checks)
        from portal.accounts.mfa_secrets import reencrypt_authenticators
        from portal.accounts.second_factor import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="portal.accounts.note_sign_in")
        crypto.register_reencryption("mfa.Authenticator", reencrypt_authenticators)
        # Wagtail's own customisation point for its user screens: ours audit who looked.
        apps.get_app_config(
            "wagtailusers"
        ).user_viewset = "portal.accounts.wagtail_hooks.AuditedUserViewSet"
