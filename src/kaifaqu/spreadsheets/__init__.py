"""Spreadsheets in and out, without Django: the platform's one door between files and rows.

- ``reading``: any xlsx, xls, ods, CSV or Excel "Unicode 文本" upload as one table, its format told
  by content and zip-based files checked for bombs and XML entities before any parser sees them.
- ``columns``: what a file's columns hold (key, Chinese header, unit, type); ``headers`` matches a
  file's header row to them, ``validation`` (over ``columnar`` and ``cells``) reads every cell as
  its column's type and lists every ``problems`` at once.
- ``writing``: tables out as xlsx or CSV, formula-like text neutralised.

The intake's imports and exports, the 亩均 offline evaluation, its 加分/扣分 sheets and its result
downloads all read and write through here; like the engine (``kaifaqu.scoring``) it never imports
Django, so the command line runs it without a database.
"""
