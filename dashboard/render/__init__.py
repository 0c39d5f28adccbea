"""Rendering: a state as HTML fragments and the folium map. Every data string is escaped here.

Plain functions that return strings: nothing here writes a file or imports Streamlit.
"""
