"""Generated practice: one-decision items from the fact space, and what to practise next.

``templates`` reads the YAML templates (families of facts in plain words), ``generate``
makes items the engine rules on, ``skills`` names what an item trains, and ``select``
picks where the learner practises next. No Streamlit here.
"""
