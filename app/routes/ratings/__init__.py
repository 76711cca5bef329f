"""Ratings and effect feedback pages: who may rate, public summaries, replies, moderation."""
