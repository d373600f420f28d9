"""The list of features the router serves, in menu order. Add a feature here."""

from functools import cache

from conversations.feature import Feature


@cache
def features() -> tuple[Feature, ...]:
    from conversations import account, ballots, convocatorias, onboarding, surveys

    return (onboarding.FEATURE, surveys.FEATURE, convocatorias.FEATURE, ballots.FEATURE, account.FEATURE)
