"""An email backend whose server refuses the first two attempts."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.locmem import EmailBackend

attempts: list[int] = []


class FailingTwice(EmailBackend):
    def send_messages(self, messages: Sequence[Any]) -> int:
        attempts.append(1)
        if len(attempts) <= 2:
            raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")
        return super().send_messages(messages)
