enum _PendingHearthTesting {}
