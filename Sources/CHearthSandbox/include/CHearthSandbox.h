#ifndef CHEARTH_SANDBOX_H
#define CHEARTH_SANDBOX_H

/// Network namespace steps the node takes on its sandbox thread. Each returns a descriptor
/// or 0 on success, and -errno on failure. They change the calling thread only.

/// Creates a network namespace with its loopback interface up and returns a descriptor of it;
/// the calling thread stays in its own namespace.
int hearth_netns_create(void);

/// Moves the calling thread into the namespace `ns` (a descriptor from `hearth_netns_create`).
int hearth_netns_enter(int ns);

/// Moves the calling thread back into the namespace it was in before the first `enter`.
int hearth_netns_leave(void);

#endif
