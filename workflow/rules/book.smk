# book stage: filled in by its issue.
BOOK_TARGETS = []
