"""Rendering: HTML fragments and the folium map. Every data string is escaped here."""
