"""The baseline for bench/app_bench.py: a bare Streamlit page with the Play page's
widgets (a text, a radio, a submit button, a result line) and nothing else."""

import streamlit as st

OPTIONS = ["Keep it confidential", "Warn the victim and call the police", "Tell the family"]

st.title("Bare page")
st.markdown("A client says something worrying. **What do you do?**")
with st.form("decision"):
    choice = st.radio("What do you do?", range(len(OPTIONS)), format_func=OPTIONS.__getitem__,
                      index=None, key="choice")  # fmt: skip
    submitted = st.form_submit_button("Submit my choice", key="submit")
if submitted and choice is not None:
    st.success(f"Result: you chose {OPTIONS[choice]} (100 points)")
