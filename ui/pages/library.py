"""Library page: thin; the work is in ui.library_view."""

from ui.library_view import show_library_page

show_library_page()
