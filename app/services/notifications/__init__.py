"""Notifications: who is told what, in their language, on which channels (see kinds.py)."""
