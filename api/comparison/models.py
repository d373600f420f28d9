"""What a comparison of two rounds answers (JSON): aggregates only, never a person's answers.

Counts under the privacy threshold (`min_cell`) are withheld (null) and say so.
"""

from sqlmodel import Field, SQLModel

# Why a question has no test, or was not compared, or a barrio has no comparison: codes the console translates
NOT_TESTED = ("few_pairs", "few_unpaired", "same_pairs", "nobody_changed", "one_category", "all_same")
SKIPPED = ("not_in_base", "not_in_salida", "free_text", "date", "select_multiple", "type_changed",
           "no_linea_base", "no_linea_salida")


class SurveyRef(SQLModel):
    id: int
    title: str
    kind: str
    status: str


class Share(SQLModel):
    option: str
    label: str
    count: int | None = Field(description="null: fewer respondents than min_cell chose it, or the one other "
                                          "count withheld so that n minus the rest cannot give it away")
    percent: float | None


class Round(SQLModel):
    n: int = Field(description="respondents who answered the question")
    mean: float | None = None
    shares: list[Share] = Field(default_factory=list)


class TestOutcome(SQLModel):
    n: int = Field(description="pairs (paired) or respondents of both groups (unpaired)")
    test: str | None = Field(None, description="wilcoxon, mcnemar, mcnemar_exact, stuart_maxwell, "
                                               "mann_whitney, chi_square, fisher_exact; null: not tested")
    statistic: float | None = Field(None, description="null for mcnemar_exact, whose statistic is a count of vecinos")
    df: int | None = None
    p_value: float | None = None
    p_holm: float | None = Field(None, description="adjusted (Holm) over the questions tested the same way")
    effect_name: str | None = Field(None, description="rank_biserial, risk_difference, cramers_v")
    effect: float | None = None
    not_tested: str | None = Field(None, description="why there is no test, in English")
    not_tested_code: str | None = Field(None, description="the same as a code: " + ", ".join(NOT_TESTED))
    only_base: int | None = Field(None, description="unpaired: respondents of the línea base only")
    only_salida: int | None = Field(None, description="unpaired: respondents of the línea de salida only")


class QuestionComparison(SQLModel):
    name: str
    label: str
    type: str = Field(description="scale, yes_no, categorical or numeric")
    dimension: str | None
    base: Round
    salida: Round
    change: float | None = Field(description="mean (scale, numeric) or points of the 'yes' share (yes_no)")
    paired: TestOutcome = Field(description="vecinos who answered both rounds")
    unpaired: TestOutcome = Field(description="vecinos who answered only one of the rounds")


class Skipped(SQLModel):
    name: str
    reason: str = Field(description="why, in English")
    code: str = Field(description="the same as a code: " + ", ".join(SKIPPED))
    base_type: str | None = Field(None, description="type_changed: the question's type in the línea base")
    salida_type: str | None = Field(None, description="type_changed: its type in the línea de salida")


class Change(SQLModel):
    n: int
    mean: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None


class IndexComparison(SQLModel):
    dimension: str = Field(description="a dimension's code, or 'overall'")
    label: str
    items: int
    base: Change = Field(description="the index 0-100 at the línea base (every respondent)")
    salida: Change = Field(description="the index 0-100 at the línea de salida (every respondent)")
    change: float | None = Field(description="salida mean − base mean")
    paired: Change = Field(description="mean change of the vecinos who answered both, 95% CI")
    unpaired: Change = Field(description="salida − base among those who answered only one round, Welch 95% CI")


class Compared(SQLModel):
    """What a comparison finds, for one barrio (`Comparison`) or for several pooled (`Pooled`)."""

    respondents_base: int
    respondents_salida: int
    pairs: int
    questions: list[QuestionComparison]
    dimensions: list[IndexComparison]
    overall: IndexComparison
    skipped: list[Skipped]


class Comparison(Compared):
    barrio_id: int
    base: SurveyRef
    salida: SurveyRef
    min_cell: int


class Pooled(Compared):
    barrios: int


class OrganisationComparison(SQLModel):
    min_cell: int
    barrios: list[Comparison] = Field(description="each barrio with a línea base and a línea de salida")
    without_rounds: list[Skipped] = Field(description="barrios left out (name) and why")
    pooled: Pooled | None = Field(description="every compared barrio's respondents together")
