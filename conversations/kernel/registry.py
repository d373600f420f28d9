"""The list of features the router serves, in menu order. Add a feature here."""

from functools import cache

from conversations.kernel.feature import Feature


@cache
def features() -> tuple[Feature, ...]:
    from conversations.ballots import flow as ballots
    from conversations.barrios import account, onboarding
    from conversations.convocatorias import flow as convocatorias
    from conversations.surveys import flow as surveys

    return (onboarding.FEATURE, surveys.FEATURE, convocatorias.FEATURE, ballots.FEATURE, account.FEATURE)
