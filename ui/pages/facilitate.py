"""Facilitate page: thin; the work is in ui.live.facilitate_view."""

from ui.live.facilitate_view import show_facilitate_page

show_facilitate_page()
