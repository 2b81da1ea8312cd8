"""The numpy core: the network and its trace, the function registries with their LaTeX forms,
parameters and sizes, gradient checks, paths, the seed example, the page state as a link.

Imports numpy only: no widgets, no drawing (import-linter checks it).
"""
