"""My classes page: thin; the work is in ui.class_view."""

from ui.class_view import show_class_page

show_class_page()
