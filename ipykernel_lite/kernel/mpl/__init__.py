"""matplotlib support: the inline backend (``backend_inline``) and how ``%matplotlib`` picks a backend
(``backends``). Importing this package imports nothing: matplotlib loads only when the user's code does."""
