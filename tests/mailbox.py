"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, collecting what it receives."""
import socket
from email import message_from_bytes
from email.policy import default

from aiosmtpd.controller import Controller


class Mailbox:
    """A real SMTP server on a fixed free port, which a test can start late (an outage)."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages, self.controller = [], None

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def to(self, address):
        return [m for m in self.messages if address in m.rcpt_tos]

    def texts(self, address):
        """The decoded bodies of the messages to `address` (curly quotes make them quoted-printable)."""
        return [message_from_bytes(m.content, policy=default).get_content() for m in self.to(address)]
