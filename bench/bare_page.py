"""The baseline for bench/app_bench.py: a bare Streamlit page with the Play page's
widgets (a text, a radio, the step checklist, a submit button, a result line) and
nothing else."""

import streamlit as st

from engine.words import STEP_LABELS

OPTIONS = ["Keep it confidential", "Warn the victim and call the police", "Tell the family"]
CHECKLIST = ["assess_risk", "safety_plan", "consider_hospitalization", "intensify_treatment",
             "consult", "document", "notify_client", "consult_attorney"]  # fmt: skip

st.title("Bare page")
st.markdown("A client says something worrying. **What do you do?**")
with st.form("decision"):
    choice = st.radio("What do you do?", range(len(OPTIONS)), format_func=OPTIONS.__getitem__,
                      index=None, key="choice")  # fmt: skip
    st.markdown("**Which steps go with it?**")
    ticked = [s for s in CHECKLIST if st.checkbox(STEP_LABELS[s], key=f"step_{s}")]
    submitted = st.form_submit_button("Submit my decision", key="submit")
if submitted and choice is not None:
    st.success(f"Result: you chose {OPTIONS[choice]} with {len(ticked)} steps (100 points)")
