"""The organiser's reports pages: one data read, periods, indicators, costs and ROSI, effects, goal
attainment.
"""
