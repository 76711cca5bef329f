"""Self-assessment pages: instruments, assessments, scoring, results, goals and GAS, the case
worker's caseload.
"""
