/* trunk/cidr: the networks a trunk's calls come from, IPv4 and IPv6.
 * Pure: parsing and matching bytes, no I/O. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re_types.h>
#include <re_list.h>
#include "trunk/trunk_int.h"

static size_t af_len(int af)
{
	return af == AF_INET ? 4 : 16;
}

int trunk_cidr_parse(const char *s, struct trunk_cidr *c)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *slash;
	size_t hl, len;
	char *end;
	long bits;
	struct trunk_cidr out = {0};

	if (!s || !c)
		return EINVAL;
	slash = strchr(s, '/');
	hl = slash ? (size_t)(slash - s) : strlen(s);
	if (!hl || hl >= sizeof(host))
		return EINVAL;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (inet_pton(AF_INET, host, out.addr) == 1)
		out.af = AF_INET;
	else if (inet_pton(AF_INET6, host, out.addr) == 1)
		out.af = AF_INET6;
	else
		return EINVAL;
	len = af_len(out.af);
	bits = (long)len * 8;
	if (slash) {
		if (!slash[1] || strspn(slash + 1, "0123456789") !=
		    strlen(slash + 1))
			return EINVAL;
		bits = strtol(slash + 1, &end, 10);
		if (bits < 0 || bits > (long)len * 8)
			return EINVAL;
	}
	out.bits = (uint8_t)bits;
	/* Host bits are cleared: "10.1.2.3/8" is 10.0.0.0/8, as routers
	 * read it. */
	for (size_t i = 0; i < len; i++) {
		long keep = bits - (long)i * 8;
		if (keep <= 0)
			out.addr[i] = 0;
		else if (keep < 8)
			out.addr[i] &= (uint8_t)(0xff << (8 - keep));
	}
	*c = out;
	return 0;
}

bool trunk_cidr_match(const struct trunk_cidr *c, int af, const uint8_t *addr)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					   0xff, 0xff};
	unsigned full, rest;

	if (!c || !addr)
		return false;
	if (af == AF_INET6 && c->af == AF_INET &&
	    !memcmp(addr, mapped, sizeof(mapped))) {
		af = AF_INET;
		addr += sizeof(mapped);
	}
	if (af != c->af)
		return false;
	full = c->bits / 8;
	rest = c->bits % 8;
	if (memcmp(addr, c->addr, full))
		return false;
	return !rest ||
		(addr[full] & (uint8_t)(0xff << (8 - rest))) == c->addr[full];
}

void trunk_cidr_print(const struct trunk_cidr *c, char *out, size_t n)
{
	char host[INET6_ADDRSTRLEN];

	if (!inet_ntop(c->af, c->addr, host, sizeof(host)))
		host[0] = '\0';
	snprintf(out, n, "%s/%u", host, c->bits);
}
