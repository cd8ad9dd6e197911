from django.core.management.base import BaseCommand

from portal.crypto import encrypted_labels, reencrypt_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key in FIELD_ENCRYPTION_KEYS, and "
        "recompute every blind index with the first key in BLIND_INDEX_KEYS. Run after putting "
        "a new key first; remove the old key only once this has finished."
    )

    def handle(self, *args, **options):
        models = ", ".join(encrypted_labels())
        touched = reencrypt_all()
        self.stdout.write(
            self.style.SUCCESS(f"Re-encrypted and re-indexed {touched} rows ({models}).")
        )
