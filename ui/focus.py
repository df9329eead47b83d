"""Move the page and the keyboard focus to where the learner's attention belongs.

After Submit, focus goes to the feedback's heading (a screen-reader user hears the
verdict at once); after Continue, the page returns to the top and focus goes to the next
decision's heading (a phone's window would otherwise stay scrolled down where the button
was); a debrief opens at its own top. Streamlit keeps neither focus nor scroll across
reruns, so a small script does it each time.

The script is a constant: the only thing that varies is a counter (an integer this
module keeps) that makes each copy new, so Streamlit draws and runs it again; nothing
from a scenario, a URL or a learner goes into it. It is wrapped in a function, so
running twice on one page cannot redeclare anything.
"""

from __future__ import annotations

import streamlit as st

# kind -> (the heading's text starts with, scroll the page to the top first)
TARGETS: dict[str, tuple[str, bool]] = {
    "decision": ("Decision ", True),
    "feedback": ("Feedback on your decision", False),
    "debrief": ("Debrief", True),
}
_COUNTER = "focus_counter"
_REQUEST = "focus_request"

_SCRIPT = """<script>/* {nonce} */
(() => {{
  const prefix = {prefix!r}, toTop = {to_top};
  let tries = 0;
  const find = () => [...document.querySelectorAll(
      '[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3')]
    .find((heading) => heading.textContent.trim().startsWith(prefix));
  const go = () => {{
    const heading = find();
    if (!heading) {{ if (tries++ < 120) requestAnimationFrame(go); return; }}
    const main = document.querySelector('[data-testid="stMain"]');
    if (toTop && main) main.scrollTo({{top: 0}});
    heading.setAttribute('tabindex', '-1');
    heading.focus({{preventScroll: toTop}});
    if (!toTop) heading.scrollIntoView({{block: 'start'}});
  }};
  go();
}})();
</script>"""


def request(kind: str) -> None:
    """Ask for focus on ``kind`` the next time the page (or fragment) is drawn."""
    st.session_state[_REQUEST] = kind


def apply(kind: str) -> None:
    """Draw the script for ``kind`` if it was requested (call after drawing the target)."""
    if st.session_state.get(_REQUEST) != kind:
        return
    del st.session_state[_REQUEST]
    prefix, to_top = TARGETS[kind]
    nonce = st.session_state.get(_COUNTER, 0) + 1
    st.session_state[_COUNTER] = nonce
    script = _SCRIPT.format(nonce=int(nonce), prefix=prefix, to_top="true" if to_top else "false")
    st.html(script, unsafe_allow_javascript=True)
