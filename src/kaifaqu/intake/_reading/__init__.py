"""The private parts of ``kaifaqu.intake.reading``; import from there."""
