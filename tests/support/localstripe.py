"""Start localstripe (a test-only Stripe API double) on loopback; sign webhook payloads; the
official `stripe` SDK pointed at it."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import stripe

from app.config import Settings

# The stock `localstripe` command pickles its whole store to /tmp/localstripe.pickle on every
# change and reads it back at start: one file for every instance on the machine, so parallel
# test workers read each other's half-written store ("EOFError: Ran out of input") and share
# state. Each test server keeps its store in memory only.
LAUNCH = (
    "import sys; from localstripe import resources, server; "
    "resources.Store.dump_to_disk = lambda self: None; "
    "sys.exit(server.start())"
)
WEBHOOK_SECRET = "whsec_test_hebu"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(log: Any) -> tuple[subprocess.Popen[bytes], int] | None:
    """Start localstripe on a free port and wait (a minute at most: a loaded CI machine is
    slow to start a Python process) until it answers; None if it exited first."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "--port", str(port), "--from-scratch"],
        stdout=log,
        stderr=log,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            if proc.poll() is not None:
                return None  # e.g. the port was taken between choosing and binding it
            time.sleep(0.1)
    proc.terminate()
    proc.wait(timeout=10)
    return None


@contextmanager
def running() -> Iterator[str]:
    with tempfile.TemporaryFile() as log:
        started = None
        for _attempt in range(3):
            started = _start(log)
            if started is not None:
                break
        if started is None:
            log.seek(0)
            tail = log.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"localstripe did not start (three tries):\n{tail}")
        proc, port = started
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def signed_event(event_id: str, event_type: str, obj: dict[str, Any]) -> tuple[bytes, str]:
    payload = json.dumps(
        {"id": event_id, "object": "event", "type": event_type, "data": {"object": obj}}
    ).encode()
    timestamp = int(time.time())
    mac = hmac.new(
        WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return payload, f"t={timestamp},v1={mac}"


def settings_for(settings: Settings, url: str) -> Settings:
    """`settings` with payments on, against the localstripe at `url`."""
    return settings.model_copy(
        update={
            "stripe_secret_key": "sk_test_hebu",
            "stripe_publishable_key": "pk_test_hebu",
            "stripe_webhook_secret": WEBHOOK_SECRET,
            "stripe_api_base": url,
        }
    )


def client(url: str) -> stripe.StripeClient:
    return stripe.StripeClient("sk_test_hebu", base_addresses={"api": url})


def card(url: str, number: str = "4242424242424242") -> str:
    """What Stripe.js does in the browser: a payment method from the card the client typed."""
    method = client(url).payment_methods.create(
        params={
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"},
        }
    )
    return method.id
