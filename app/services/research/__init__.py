"""Research: consent, the randomised experiment, the yearly evaluation, the arm report, the
research export.
"""
