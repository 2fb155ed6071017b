"""The private parts of ``kaifaqu.spreadsheets.reading``; import from there."""
