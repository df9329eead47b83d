"""Explorer page: thin; the work is in ui.explorer_view."""

from ui.explorer_view import show_explorer_page

show_explorer_page()
