/* sip/sockbuf: a deep receive queue on each SIP UDP socket.
 *
 * When a thousand calls hang up in the same second, a thousand BYEs reach
 * one socket while the loop is busy answering the first ones; at Linux's
 * default queue (net.core.rmem_default, 208 KiB: a few hundred datagrams)
 * the rest are dropped and the phones retransmit for seconds. The queue
 * costs nothing until it fills: the kernel charges memory per datagram
 * queued. SO_RCVBUFFORCE goes past net.core.rmem_max when the process may
 * (CAP_NET_ADMIN); otherwise SO_RCVBUF is cut to rmem_max, and the log line
 * says so (docs/operations.md: raise it with sysctl). */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include "base/log.h"
#include "sip/sipx_int.h"
#include <re_udp.h>

static unsigned long rmem_max(void)
{
	unsigned long v = 0;
	FILE *f = fopen("/proc/sys/net/core/rmem_max", "r");

	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

void sipx_sockbuf_apply(const struct sipx *sx, struct udp_sock *us)
{
	int want = (int)sx->conf.udp_rcvbuf, got = 0;
	socklen_t len = sizeof(got);

	if (!want)
		return;
	/* Both families: a wildcard bind may hold one socket of each. */
	for (int i = 0; i < 2; i++) {
		int fd = udp_sock_fd(us, i ? AF_INET6 : AF_INET);
		if (fd < 0)
			continue;
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want,
			       sizeof(want)))
			(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want,
					 sizeof(want));
		if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len))
			continue;
		/* Linux reports twice what it grants for the payload. */
		if (got / 2 < want)
			log_warn("sip.udp_rcvbuf_capped", "asked=%d granted=%d "
				 "rmem_max=%lu hint=\"sysctl -w "
				 "net.core.rmem_max=%d\"", want, got / 2,
				 rmem_max(), want);
		else
			log_debug("sip.udp_rcvbuf", "bytes=%d", got / 2);
	}
}
