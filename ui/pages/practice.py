"""Practice page: thin; the work is in ui.practice_view."""

from ui.practice_view import show_practice_page

show_practice_page()
