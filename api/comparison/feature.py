"""Comparison: what the feature contributes (the composition root lists it).

No chat flow and no table of its own: it reads the surveys' answers and serves aggregates.
"""

from api.comparison.demo import seed_rounds
from api.comparison.routes import router
from api.kernel.feature import Feature

FEATURE = Feature(
    name="comparison",
    routers=(router,),
    demo=(seed_rounds,),
)
