"""Reading petitions from other systems: the columns of an Excel/CSV file or the fields
of a JSON item, each value checked and matched against the council's catalogue
(fields, agencies, units, session cycles), with a reason for everything refused.

Nothing here writes: `services/imports.py` writes what these modules accept.
"""
