enum _PendingHearthServer {}
