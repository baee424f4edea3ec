"""A corpus of public teaching notebooks run on ipykernel and on ipykernel_lite, compared cell by cell.

``python -m bench.corpus [NOTEBOOK ...]`` runs each notebook (default: ``bench/corpus/notebooks/*.ipynb``)
with nbclient three times, twice on ipykernel and once on ipykernel_lite, each in a fresh folder. A code cell
is deterministic when both ipykernel runs give the same outputs; the match rate is the share of those
cells whose ipykernel_lite outputs are the same. Outputs are compared as a reader compares notebooks
(see ``normalise``). Sources: jakevdp/PythonDataScienceHandbook (MIT) and
jrjohansson/scientific-python-lectures (CC BY), outputs stripped.
"""
