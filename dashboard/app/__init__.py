"""The Streamlit app: its script (``streamlit_app.py``, with ``static/`` beside it), the launcher
(``serve.py``, ``python -m dashboard.app``), the views kept per server and the page modules.

Only this package runs Streamlit's widgets; it asks the modules above for everything it draws.
"""
