"""Streamlit building blocks shared by the app's pages (display only: no ML logic lives here)."""
