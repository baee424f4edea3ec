"""Side-by-side benchmark of ipykernel_lite against ipykernel.

Run ``python -m bench`` from the repository root; see ``bench.run`` for the options.
"""
