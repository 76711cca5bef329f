"""The audit chain's hashes: each row's HMAC-SHA256 (keyed with `HEBU_AUDIT_KEY`) over its
content and the previous row's hash, the legacy unkeyed SHA-256 of rows written before the
key, and the seal of the head row. Pure functions; `services/audit.py` writes and verifies."""

from __future__ import annotations

import hashlib
import hmac
import json

from app.config import get_settings
from app.models.audit import AuditEvent, AuditHead

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> str:
    body = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "on_behalf_of_id": event.on_behalf_of_id,
        "subject_id": event.subject_id,
        "action": str(event.action),
        "category": event.category,
        "record_type": event.record_type,
        "record_id": event.record_id,
        "purpose": str(event.purpose),
        "request_id": event.request_id,
        "details": event.details,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)


def _key() -> bytes:
    return get_settings().audit_key.encode()


def legacy_hash(prev_hash: str, event: AuditEvent) -> str:
    """The unkeyed SHA-256 chain of the rows written before the audit key."""
    return hashlib.sha256((prev_hash + _canonical(event)).encode()).hexdigest()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    return hmac.new(_key(), (prev_hash + _canonical(event)).encode(), "sha256").hexdigest()


def head_mac(head: AuditHead) -> str:
    body = {
        "legacy_last_id": head.legacy_last_id,
        "legacy_last_hash": head.legacy_last_hash,
        "last_id": head.last_id,
        "last_hash": head.last_hash,
        "row_count": head.row_count,
    }
    message = "audit-head:" + json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(_key(), message.encode(), "sha256").hexdigest()
