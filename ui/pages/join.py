"""Join page: thin; the work is in ui.live.join_view."""

from ui.live.join_view import show_join_page

show_join_page()
