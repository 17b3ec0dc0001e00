"""Measuring the analyzers against a labeled data folder, and fitting the STAR detector.

Not part of the product: run from the project folder by scripts/eval, scripts/eval_fillers and
scripts/train-star, with the data folder as an argument.
"""
