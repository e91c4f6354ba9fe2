"""The words the analysis writes into the book (number descriptions, table header,
figure title, the notice): one place, in the book's language."""

TABLE_HEADER = ("Group", "Respondents", "Mean score", "Agreeing")
FIGURE_TITLE = "Mean score per group"
RESPONDENTS = "Number of respondents"
GROUPS = "Number of groups"
AGREEING = "Share of respondents who agree (score at least the threshold)"
HIGHEST_GROUP = "The group with the highest mean score"
MAJORITY = "Whether a majority of the respondents agrees"
MAJORITY_RULE = "true when more than half of the respondents agree (survey.agreeing > 0.5)"
NOTICE_TITLE = "Synthetic data"
NOTICE_TEXT = (
    "The survey answers in this edition are synthetic: they come from a generator "
    "({generator}, seed {seed}), not from respondents. Tables, figures and numbers show "
    "the method and are no findings; sentences that rest on these data are underlined "
    "and marked with †. See data/README.md."
)
