"""Instructor page: thin; the work is in ui.instructor.page."""

from ui.instructor.page import show_instructor_page

show_instructor_page()
