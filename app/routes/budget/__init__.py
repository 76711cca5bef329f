"""The personal budget pages: frames, plans, budget arithmetic, the ledger, deliveries, payments,
settlement.
"""
