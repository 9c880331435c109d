"""The read layer: what the pages, the JSON API and the command line show, as plain data.

One function per resource kind (describe a resource, run a named query, search, a
cluster's quality profile, a region's dossier), each taking the store and the reader's
languages and returning dataclasses and dicts of labels and IRIs. Nothing here knows
about HTTP: the views make the links and choose the format, so every renderer shows the
same answer. It sits above the store, data and analytics layers and below web/ and cli.
"""
