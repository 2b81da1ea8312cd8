"""Trace → steps → documents: the colour code, the notation (one copy of every equation), the
step panels, the worked example, practice questions, and one renderer per output format.

Text only: no widgets, no drawing (import-linter checks it).
"""
