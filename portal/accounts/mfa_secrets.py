"""The secrets inside allauth's authenticators (`mfa_authenticator.data`), kept encrypted.

allauth passes each secret through the MFA adapter's encrypt()/decrypt() (see
`adapters.MFAAdapter`): the TOTP key (`secret`), the recovery-code seed (`seed`) and codes
carried over from elsewhere (`migrated_codes`). Everything else in `data` (which recovery
codes were used, when they were viewed) is not secret and stays as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from portal import crypto

SECRET_KEYS = ("secret", "seed")
SECRET_LISTS = ("migrated_codes",)


def map_secrets(data: dict, change: Callable[[str], str]) -> dict:
    """`data` with `change` applied to each secret in it."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for key in SECRET_KEYS:
        if isinstance(data.get(key), str):
            data[key] = change(data[key])
    for key in SECRET_LISTS:
        if isinstance(data.get(key), list):
            data[key] = [change(v) if isinstance(v, str) else v for v in data[key]]
    return data


def reencrypt_authenticators(batch_size: int = 500) -> int:
    """Re-encrypt every authenticator's secrets with the newest field key."""
    from allauth.mfa.models import Authenticator

    touched = 0
    pks = list(Authenticator.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch_size):
        with transaction.atomic():
            rows = Authenticator.objects.select_for_update().filter(
                pk__in=pks[start : start + batch_size]
            )
            for pk, data in rows.values_list("pk", "data"):
                new = map_secrets(data, lambda stored: crypto.encrypt(crypto.decrypt(stored)))
                Authenticator.objects.filter(pk=pk).update(data=new)
                touched += 1
    return touched
