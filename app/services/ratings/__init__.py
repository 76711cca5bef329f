"""Ratings and effect feedback: who may rate, public summaries, replies, moderation."""
