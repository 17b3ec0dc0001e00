"""The presentation pacing drill: the script and targets, and the live drill."""
