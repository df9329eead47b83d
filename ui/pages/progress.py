"""Progress page: thin; the work is in ui.progress_view."""

from ui.progress_view import show_progress_page

show_progress_page()
