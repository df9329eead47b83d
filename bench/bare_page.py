"""The baseline for bench/app_bench.py: a bare Streamlit page with the Play page's
widgets (a text, a radio, the step checklist, a submit button) and, on submit, the same
kinds and amount of feedback elements (a heading, a verdict alert, the step review, an
author's note, a bordered block of law text with its rules), all static: what is left
between the two is the app's own work (the engine, the store, session handling)."""

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
LAW = " ".join(["The law requires a report or a warning here, and the ruling says why."] * 12)
RULES = "\n".join(f"- **45 CFR 164.512(j)({n})** — a rule's summary in one line." for n in range(6))
if submitted and choice is not None:
    st.markdown(f"### Feedback on your decision\n\n**You chose:** {OPTIONS[choice]}")
    st.success(
        f"**Result: you chose {OPTIONS[choice]} with {len(ticked)} steps** (100 points)\n"
        "- A first fault in a plain sentence.\n- A second fault in a plain sentence."
    )
    st.markdown("**The steps**\n- ✓ Assess the risk: required\n- ✓ Document: required")
    st.markdown("**From the vignette's author:** a note of two sentences about the choice.")
    with st.container(border=True):
        st.markdown(f"**What the law required here**\n\n{LAW}\n\n**Rules applied**\n{RULES}")
        st.warning("Unverified: a sentence about the profile's sources.")
