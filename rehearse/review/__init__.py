"""Looking back at stored attempts: annotated transcripts, terminal views, comparisons, progress,
recurring stories, exports and the HTML page."""
