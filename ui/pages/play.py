"""Play page: thin; the work is in ui.play_view."""

from ui.play_view import show_play_page

show_play_page()
