"""The catalogue: public search and pages, providers and their listings, approvals, categories,
HSDS, municipalities.
"""
