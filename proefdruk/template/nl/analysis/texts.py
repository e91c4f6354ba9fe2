"""De woorden die de analyse in het boek schrijft (beschrijvingen van getallen, de kop
van de tabel, de titel van de figuur, de melding): op één plek, in de taal van het boek."""

TABLE_HEADER = ("Groep", "Respondenten", "Gemiddelde score", "Eens")
FIGURE_TITLE = "Gemiddelde score per groep"
RESPONDENTS = "Aantal respondenten"
GROUPS = "Aantal groepen"
AGREEING = "Aandeel respondenten dat het eens is (score minstens de drempel)"
HIGHEST_GROUP = "De groep met de hoogste gemiddelde score"
MAJORITY = "Of een meerderheid van de respondenten het eens is"
MAJORITY_RULE = "waar als meer dan de helft van de respondenten het eens is (survey.agreeing > 0,5)"
NOTICE_TITLE = "Synthetische gegevens"
NOTICE_TEXT = (
    "De enquêteantwoorden in deze editie zijn synthetisch: ze komen uit een generator "
    "({generator}, seed {seed}), niet van respondenten. Tabellen, figuren en getallen "
    "tonen de werkwijze en zijn geen bevindingen; zinnen die op deze gegevens berusten, "
    "zijn onderstreept en met † gemarkeerd. Zie data/README.md."
)
