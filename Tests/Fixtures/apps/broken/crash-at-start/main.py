print("about to fail at import")
raise RuntimeError("this app cannot start: missing configuration")
