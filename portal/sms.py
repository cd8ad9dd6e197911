"""Text messages, behind a provider interface.

`SMS_BACKEND` names a class with `send(to, body)`; empty (the default) means no provider is
configured: nothing is texted, `portal.notify` uses no SMS channel, and staff are shown
"contact by phone" for a person whose only safe channel is text. For development:
`portal.sms.ConsoleBackend` prints each message, `portal.sms.FileBackend` writes one file per
message under `SMS_FILE_PATH`. A real provider is a subclass of `SmsBackend` (none chosen yet).
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsBackend:
    def send(self, to: str, body: str) -> None:
        raise NotImplementedError


class ConsoleBackend(SmsBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, to: str, body: str) -> None:
        self.stream.write(f"SMS to {to}\n{body}\n{'-' * 40}\n")
        self.stream.flush()


class FileBackend(SmsBackend):
    def send(self, to: str, body: str) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.txt"
        (folder / name).write_text(f"To: {to}\n\n{body}\n", encoding="utf-8")


def provider_configured() -> bool:
    return bool(settings.SMS_BACKEND)


def send(to: str, body: str) -> None:
    if not provider_configured():
        raise RuntimeError("No SMS provider is configured (SMS_BACKEND).")
    import_string(settings.SMS_BACKEND)().send(to, body)
