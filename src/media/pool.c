/* media pool: the RTP port range. Even ports only (RTP's convention, the
 * odd one left for RTCP); a port someone else holds is skipped, not an
 * error. Shared by every media thread and the signalling thread, hence the
 * lock; binding is quick and happens once per leg. */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/socket.h>
#include "media/engine_int.h"

int engine_pool_bind(struct media_engine *e, int *fdp, uint16_t *portp)
{
	unsigned span = (unsigned)(e->port_hi - e->port_lo) / 2 + 1;
	int err = ENOSPC;

	pthread_mutex_lock(&e->pool_lock);
	for (unsigned tries = 0; tries < span; tries++) {
		uint16_t port = e->port_next;
		unsigned slot = (unsigned)(port - e->port_lo) / 2;
		struct sockaddr_in sin = {.sin_family = AF_INET,
					  .sin_port = htons(port),
					  .sin_addr = e->bind_ip};
		int fd;

		e->port_next = port + 2 > e->port_hi ? e->port_lo : port + 2;
		if (e->port_used[slot])
			continue;
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			err = errno;
			break;
		}
		/* Someone else may hold the port: skip it, keep looking. */
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
			close(fd);
			continue;
		}
		e->port_used[slot] = 1;
		*fdp = fd;
		*portp = port;
		err = 0;
		break;
	}
	pthread_mutex_unlock(&e->pool_lock);
	return err;
}

void engine_pool_release(struct media_engine *e, int fd, uint16_t port)
{
	close(fd);
	pthread_mutex_lock(&e->pool_lock);
	e->port_used[(port - e->port_lo) / 2] = 0;
	pthread_mutex_unlock(&e->pool_lock);
}

