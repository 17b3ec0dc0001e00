"""The history of attempts: the data folder and its files, the SQLite index and its migrations,
and the takes left cut off."""
