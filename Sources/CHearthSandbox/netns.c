#define _GNU_SOURCE
#include "CHearthSandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/// The thread's own namespace, kept so it can return after entering another one.
static __thread int home = -1;

static int remember_home(void) {
    if (home >= 0) return 0;
    home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    return home >= 0 ? 0 : -errno;
}

static int loopback_up(void) {
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) return -errno;
    struct ifreq request;
    memset(&request, 0, sizeof request);
    strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    int result = ioctl(sock, SIOCGIFFLAGS, &request);
    if (result == 0) {
        request.ifr_flags |= IFF_UP | IFF_RUNNING;
        result = ioctl(sock, SIOCSIFFLAGS, &request);
    }
    int error = result == 0 ? 0 : -errno;
    close(sock);
    return error;
}

int hearth_netns_create(void) {
    int error = remember_home();
    if (error) return error;
    if (unshare(CLONE_NEWNET) != 0) return -errno;
    error = loopback_up();
    int ns = error ? -1 : open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (!error && ns < 0) error = -errno;
    if (setns(home, CLONE_NEWNET) != 0 && !error) error = -errno;
    if (error && ns >= 0) close(ns);
    return error ? error : ns;
}

int hearth_netns_enter(int ns) {
    int error = remember_home();
    if (error) return error;
    return setns(ns, CLONE_NEWNET) == 0 ? 0 : -errno;
}

int hearth_netns_leave(void) {
    if (home < 0) return 0;
    return setns(home, CLONE_NEWNET) == 0 ? 0 : -errno;
}
