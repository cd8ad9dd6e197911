from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal import crypto
        from portal.accounts import checks  # noqa: F401  (registers the deploy checks)
        from portal.accounts.mfa_secrets import reencrypt_authenticators
        from portal.accounts.second_factor import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="portal.accounts.note_sign_in")
        crypto.register_reencryption("mfa.Authenticator", reencrypt_authenticators)
