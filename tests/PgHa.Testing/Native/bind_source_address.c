/*
 * LD_PRELOAD shim of the fault harness: every IPv4 connect() to a loopback address (127.0.0.0/8) from a socket
 * that is not bound yet first binds it to PGHA_SOURCE_ADDRESS (port 0: the kernel picks one at connect time).
 * Without it, every connection to 127.x.y.z leaves from 127.0.0.1 (the preferred source of the loopback route),
 * whichever process makes it, and nftables rules on address pairs could not tell one member's traffic from
 * another's. Patroni (Python), PostgreSQL's walreceiver, pg_rewind, pg_basebackup and pgbench all connect through
 * libc's connect(), so all of them are covered. Nothing else changes: other families, other destinations and
 * sockets bound already go straight to the real connect().
 *
 * If the bind fails, connect() fails with bind's errno: a connection that would silently leave from the wrong
 * address would make a network cut miss it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);

static int is_loopback(struct in_addr address) { return (ntohl(address.s_addr) >> 24) == 127; }

int connect(int fd, const struct sockaddr *to, socklen_t length)
{
    static connect_fn real_connect;
    static int configured = -1;
    static struct in_addr source;

    if (real_connect == NULL) {
        real_connect = (connect_fn)dlsym(RTLD_NEXT, "connect");
        if (real_connect == NULL) {
            errno = ENOSYS;
            return -1;
        }
    }

    if (configured < 0) {
        const char *value = getenv("PGHA_SOURCE_ADDRESS");
        struct in_addr parsed;
        configured = value != NULL && inet_pton(AF_INET, value, &parsed) == 1 && is_loopback(parsed);
        if (configured) {
            source = parsed;
        }
    }

    if (configured && to != NULL && to->sa_family == AF_INET && length >= (socklen_t)sizeof(struct sockaddr_in)) {
        struct sockaddr_in destination;
        memcpy(&destination, to, sizeof destination);
        if (is_loopback(destination.sin_addr)) {
            struct sockaddr_in bound;
            socklen_t bound_length = sizeof bound;
            memset(&bound, 0, sizeof bound);
            if (getsockname(fd, (struct sockaddr *)&bound, &bound_length) == 0 && bound.sin_family == AF_INET
                && bound.sin_addr.s_addr == htonl(INADDR_ANY) && bound.sin_port == 0) {
                struct sockaddr_in from;
                int one = 1;
                memset(&from, 0, sizeof from);
                from.sin_family = AF_INET;
                from.sin_addr = source;
                from.sin_port = 0;
                (void)setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
                if (bind(fd, (const struct sockaddr *)&from, sizeof from) != 0) {
                    return -1;
                }
            }
        }
    }

    return real_connect(fd, to, length);
}
