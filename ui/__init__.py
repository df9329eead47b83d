"""Streamlit pages and widgets for Confidentiality Lab (thin: logic lives in engine/ and storage/)."""
