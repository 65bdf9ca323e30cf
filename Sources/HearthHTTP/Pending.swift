enum _PendingHearthHTTP {}
