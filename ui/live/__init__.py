"""Live sessions for workshops and classrooms: a facilitator runs one vignette on a
projector (``facilitate_view``), the room votes from phones (``join_view``).

All shared state is in the database (``storage.live``); these modules hold no law (the
engine scores every option and vote) and no state shared between browsers.
"""
