"""Plausible upper bounds of the numeric inputs: above them a value is a typo or a unit slip.

They keep every later computation finite and every integer conversion safe
(all are far below 2**53, the largest integer a float holds exactly), and they
are checked where the value comes in, with its row and field.
"""

MAX_SITE_HEADCOUNT = 1_000_000  #: staff at one site [people]
MAX_SITE_DESKS = 1_000_000  #: desks at one site, today or as a hub [desks]
MAX_FLOOR_AREA_M2 = 5_000_000.0  #: floor area of one site [m²] (the largest buildings are under 2 million m²)
MAX_ENERGY_KWH_PER_M2 = 2_000.0  #: electricity or heating intensity [kWh/m²/yr]
MAX_COST_PER_M2 = 100_000.0  #: property cost per floor area a year [currency/m²/yr]
MAX_GROUP_COUNT = 1_000_000.0  #: people on one staff row [people]
