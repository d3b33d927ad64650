"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1, collecting what it gets.

It can be stopped and started again on the same port, to test a mail server that is down.
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support import free_port


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        assert body is not None
        return str(body.get_content()).replace("\r\n", "\n")


class Collector:
    """The aiosmtpd handler: keeps every message it accepts."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.lock = threading.Lock()
        # Recipients refused as a real server refuses an unknown mailbox (quoting it).
        self.refuse: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: unknown user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.collector = Collector()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self) -> list[Received]:
        with self.collector.lock:
            return list(self.collector.received)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]

    def wait_for(self, count: int, seconds: float = 60) -> list[Received]:
        """At least ``count`` messages, waiting for the endpoint's sender to send them."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                return self.received
            time.sleep(0.2)
        raise AssertionError(f"expected {count} messages, got {len(self.received)}")

    def env(self) -> dict[str, str]:
        """The endpoint's mail settings for this server."""
        return {
            "PORTAL_SMTP_HOST": "127.0.0.1",
            "PORTAL_SMTP_PORT": str(self.port),
            "PORTAL_SMTP_SECURITY": "none",
            "PORTAL_MAIL_FROM": "Northbridge consultations <consult@northbridge.example>",
            "PORTAL_STAFF_URL": "https://portal.example/staff/",
            "PORTAL_MAIL_INTERVAL": "1",
        }
