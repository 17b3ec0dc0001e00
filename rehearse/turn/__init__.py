"""Knowing when an answer is over: the decision, and the Smart Turn model that hears it."""
