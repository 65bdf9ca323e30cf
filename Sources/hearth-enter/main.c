// hearth-enter: the first step of starting a sandboxed micro, run by the node as a separate
// process so that nothing of the setup happens in the node's multithreaded server.
//
//   hearth-enter [--cgroup DIR]... [--uid UID --gid GID] -- PROGRAM [ARG]...
//
// It joins each control group DIR (by writing its own pid to DIR/cgroup.procs), drops every
// group and switches to UID/GID, then executes PROGRAM (bubblewrap) with its environment
// unchanged. The calling thread's network namespace is inherited as is. Any failure prints one
// line to stderr and exits with status 126, before PROGRAM runs.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void fail(const char *what, const char *detail) {
    fprintf(stderr, "hearth-enter: %s %s: %s\n", what, detail ? detail : "", strerror(errno));
    exit(126);
}

static void join_cgroup(const char *directory) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/cgroup.procs", directory) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        fail("cannot join control group", directory);
    }
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail("cannot open", path);
    char pid[32];
    int length = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    if (write(fd, pid, (size_t)length) != length) fail("cannot join control group", directory);
    close(fd);
}

static long number(const char *text, const char *what) {
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 0) {
        errno = EINVAL;
        fail("bad", what);
    }
    return value;
}

int main(int argc, char **argv) {
    long uid = -1, gid = -1;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "--cgroup") == 0 && i + 1 < argc) {
            join_cgroup(argv[++i]);
        } else if (strcmp(argv[i], "--uid") == 0 && i + 1 < argc) {
            uid = number(argv[++i], "--uid");
        } else if (strcmp(argv[i], "--gid") == 0 && i + 1 < argc) {
            gid = number(argv[++i], "--gid");
        } else {
            errno = EINVAL;
            fail("unknown argument", argv[i]);
        }
    }
    if (i >= argc) {
        errno = EINVAL;
        fail("no program to run", NULL);
    }
    if (gid >= 0) {
        if (setgroups(0, NULL) != 0) fail("cannot drop groups", NULL);
        if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) != 0) fail("cannot switch group", NULL);
    }
    if (uid >= 0 && setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) != 0) fail("cannot switch user", NULL);
    execv(argv[i], &argv[i]);
    fail("cannot run", argv[i]);
    return 126;
}
