# Shared helpers for the rule files: paths and the book structure from _quarto.yml.

LOGS = "logs"
BENCH = "benchmarks"
