"""`qabot eval`: scripted question sets, scored against gold answers."""
