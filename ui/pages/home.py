"""Home page: thin; the work is in ui.home_view."""

from ui.home_view import show_home_page

show_home_page()
