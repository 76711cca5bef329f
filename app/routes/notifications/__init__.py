"""Notification pages: every role's inbox and channel settings."""
