/* A tiny compiled HTTP/1.1 micro: answers every request with "ok", keep-alive, on $PORT. */
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void *serve(void *arg) {
    int fd = (int)(long)arg;
    char buffer[65536];
    size_t used = 0;
    static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
    for (;;) {
        ssize_t got = read(fd, buffer + used, sizeof buffer - used - 1);
        if (got <= 0) break;
        used += (size_t)got;
        buffer[used] = 0;
        char *end;
        while ((end = strstr(buffer, "\r\n\r\n")) != NULL) {
            if (write(fd, reply, sizeof reply - 1) < 0) goto done;
            size_t consumed = (size_t)(end + 4 - buffer);
            memmove(buffer, buffer + consumed, used - consumed);
            used -= consumed;
            buffer[used] = 0;
        }
        if (used >= sizeof buffer - 1) break;
    }
done:
    close(fd);
    return NULL;
}

int main(void) {
    const char *port = getenv("PORT");
    int listener = socket(AF_INET, SOCK_STREAM, 0), on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port ? atoi(port) : 8080)};
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 512) < 0) {
        perror("listen");
        return 1;
    }
    printf("tiny-server listening on %s\n", port);
    fflush(stdout);
    for (;;) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0) continue;
        pthread_t thread;
        pthread_create(&thread, NULL, serve, (void *)(long)fd);
        pthread_detach(thread);
    }
}
