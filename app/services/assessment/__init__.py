"""Self-assessment: instruments, assessments, scoring, results, goals and GAS, the case worker's
caseload.
"""
