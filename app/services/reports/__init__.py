"""The organiser's reports: one data read, periods, indicators, costs and ROSI, effects, goal
attainment.
"""
