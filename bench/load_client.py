"""A browser tab without the browser: Streamlit's own websocket protocol, spoken directly.

The load test needs a hundred learners on a 2-core machine that also runs the server;
a hundred Chromium contexts would measure Chromium. What a tab sends the server is small
and fixed: ``BackMsg.rerun_script`` with the page, the query string and the widget values
(the protobufs in ``streamlit.proto``), and what it gets back is a stream of
``ForwardMsg`` deltas ending in ``script_finished``. This module sends exactly what the
front end sends for a page load and a click (including a fragment's id when the widget
sits in an ``st.fragment``, so a Submit reruns only the fragment, as in a browser), and
collects the elements each run draws, with the time each awaited element arrived.

Used by ``bench/load.py`` and by the durability and deploy tests.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

SUCCESS = ForwardMsg.FINISHED_SUCCESSFULLY
FRAGMENT_SUCCESS = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN
COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
# Alerts the app draws when something failed (ui/play_view.py, app.py): a save that did
# not happen, a store that cannot be opened, a choice another tab overtook, a bad code.
FAILURE_ICONS = frozenset({":material/cloud_off:", ":material/sync_problem:", ":material/key_off:"})


class TabError(Exception):
    """The server closed the tab, did not answer in time, or broke the protocol."""


@dataclass(frozen=True)
class Element:
    """One element a run drew: its kind (``button``, ``radio``, ``alert``...) and proto."""

    kind: str
    proto: Any
    fragment_id: str = ""

    @property
    def widget_id(self) -> str:
        return str(getattr(self.proto, "id", ""))

    @property
    def label(self) -> str:
        return str(getattr(self.proto, "label", ""))

    @property
    def text(self) -> str:
        return str(getattr(self.proto, "body", "") or getattr(self.proto, "message", ""))


Predicate = Callable[[Element], bool]


@dataclass
class Run:
    """What one request drew (every run it caused, through reruns) and when."""

    elements: list[Element] = field(default_factory=list)
    status: int | None = None
    sent_at: float = 0.0
    finished_at: float = 0.0
    marks: dict[str, float] = field(default_factory=dict)
    """name -> time.monotonic() when the first element matching its predicate arrived."""

    def find(self, kind: str, label: str | None = None) -> Element | None:
        for element in reversed(self.elements):
            if element.kind == kind and (label is None or element.label == label):
                return element
        return None

    def all(self, kind: str) -> list[Element]:
        return [element for element in self.elements if element.kind == kind]

    def failures(self) -> list[str]:
        """What went wrong that a learner would see: exceptions and failure alerts."""
        found = []
        for element in self.elements:
            if element.kind == "exception":
                found.append(f"exception: {element.proto.type}")
            elif element.kind == "alert" and element.proto.icon in FAILURE_ICONS:
                found.append(f"alert {element.proto.icon}: {element.text[:80]}")
        if self.status == COMPILE_ERROR:
            found.append("script failed to compile")
        return found

    def ms(self, mark: str) -> float | None:
        """Milliseconds from the request to ``mark`` (None if it never arrived)."""
        at = self.marks.get(mark)
        return None if at is None else (at - self.sent_at) * 1000


def _element(msg: ForwardMsg) -> Element | None:
    delta = msg.delta
    if delta.WhichOneof("type") != "new_element":
        return None
    kind = delta.new_element.WhichOneof("type")
    if kind is None:
        return None
    return Element(kind, getattr(delta.new_element, kind), delta.fragment_id)


class Tab:
    """One learner's tab on one server: a page load, then clicks, one at a time.

    ``base_url`` is ``http://host:port`` (an nginx in front works the same: the
    websocket goes to ``/_stcore/stream`` on it). ``headers`` are sent with the
    websocket handshake (a Cookie, to keep the tab on one server behind a proxy).
    """

    def __init__(
        self,
        base_url: str,
        query_string: str,
        *,
        timeout: float = 60.0,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.ws_url = f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
        self.base_url = base_url.rstrip("/")
        self.query_string = query_string
        self.page_hash = ""
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.last: Run | None = None
        """The latest request's run, even one cut off by a lost connection."""
        self._ws: Any = None

    async def open(self, watch: Mapping[str, Predicate] | None = None) -> Run:
        """Load the page the URL names, as a browser does on navigation or reload."""
        try:
            self._ws = await websockets.connect(
                self.ws_url,
                subprotocols=["streamlit"],  # type: ignore[list-item]
                additional_headers=self.headers or None,
                max_size=None,
                open_timeout=self.timeout,
            )
        except (OSError, websockets.WebSocketException, TimeoutError) as exc:
            raise TabError(f"could not connect: {type(exc).__name__}") from None
        return await self._request(self._rerun(), watch or {})

    async def click(
        self,
        button: Element,
        values: Sequence[tuple[Element, bool | str]] = (),
        watch: Mapping[str, Predicate] | None = None,
    ) -> Run:
        """Press ``button`` with ``values`` for other widgets (a radio's label, a box's
        tick), in the button's fragment if it has one, as the front end does."""
        msg = self._rerun(fragment_id=button.fragment_id)
        self._values(msg, values)
        trigger = msg.rerun_script.widget_states.widgets.add()
        trigger.id = button.widget_id
        trigger.trigger_value = True
        return await self._request(msg, watch or {})

    async def change(self, widget: Element, value: bool | str) -> Run:
        """Set a widget outside a form (a selectbox): the front end reruns at once."""
        msg = self._rerun(fragment_id=widget.fragment_id)
        self._values(msg, [(widget, value)])
        return await self._request(msg, {})

    async def follow(self, link: Element) -> Run:
        """Follow an ``st.page_link`` to another page of the app, in the same session.

        The front end sends the target page's hash and the link's own query string
        (none here), dropping the old page's parameters.
        """
        self.page_hash = link.proto.page_script_hash
        self.query_string = link.proto.query_string
        return await self._request(self._rerun(), {})

    @staticmethod
    def _values(msg: BackMsg, values: Sequence[tuple[Element, bool | str]]) -> None:
        states = msg.rerun_script.widget_states
        for widget, value in values:
            state = states.widgets.add()
            state.id = widget.widget_id
            if isinstance(value, bool):
                state.bool_value = value
            else:
                state.string_value = value

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    # -- protocol -------------------------------------------------------------------------

    def _rerun(self, fragment_id: str = "") -> BackMsg:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_hash
        state.widget_states.SetInParent()
        if fragment_id:
            state.fragment_id = fragment_id
        state.context_info.timezone = "UTC"
        state.context_info.timezone_offset = 0
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.base_url}/?{self.query_string}"
        return msg

    async def _request(self, msg: BackMsg, watch: Mapping[str, Predicate]) -> Run:
        """Send one BackMsg; collect until a run finishes (not one cut short to rerun)."""
        if self._ws is None:
            raise TabError("tab is not open")
        run = self.last = Run(sent_at=time.monotonic())
        deadline = run.sent_at + self.timeout
        try:
            await self._ws.send(msg.SerializeToString())
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TabError("no answer in time")
                async with asyncio.timeout(left):
                    data = await self._ws.recv()
                if self._take(data, run, watch):
                    run.finished_at = time.monotonic()
                    return run
        except (websockets.ConnectionClosed, OSError) as exc:
            raise TabError(f"connection lost: {type(exc).__name__}") from None
        except TimeoutError:
            raise TabError("no answer in time") from None

    def _take(self, data: bytes | str, run: Run, watch: Mapping[str, Predicate]) -> bool:
        """Record one ForwardMsg; True when the request's last run has finished."""
        msg = ForwardMsg()
        msg.ParseFromString(data if isinstance(data, bytes) else data.encode())
        kind = msg.WhichOneof("type")
        if kind == "delta":
            element = _element(msg)
            if element is not None:
                run.elements.append(element)
                now = time.monotonic()
                for name, matches in watch.items():
                    if name not in run.marks and matches(element):
                        run.marks[name] = now
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "navigation":
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "script_finished":
            run.status = msg.script_finished
            return msg.script_finished != EARLY_FOR_RERUN
        return False
