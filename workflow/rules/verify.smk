# verify stage: filled in by its issue.
MANIFEST = []
