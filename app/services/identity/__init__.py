"""Identity: users, sessions, OpenID Connect, mandates, invitations, the access log, rate limits,
my data.
"""
