"""The personal budget: frames, plans, budget arithmetic, the ledger, deliveries, payments,
settlement.
"""
