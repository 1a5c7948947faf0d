/* app/httpc: the CLI's HTTP client for a running center's API (hotline
 * trunk, hotline dialplan). A plain blocking socket: a command sends one
 * request and waits for its answer, nothing else runs meanwhile (libre's
 * client would need a DNS resolver and the event loop for that). */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <jansson.h>
#include "app/app_int.h"

enum { RESP_MAX = 1 << 20, TIMEOUT_S = 10 };

/* "http://HOST:PORT[/]" into host and port. */
static int url_split(const char *url, char *host, size_t n, char *port,
		     size_t pn)
{
	const char *p = strncmp(url, "http://", 7) ? NULL : url + 7;
	const char *colon, *end;

	if (!p)
		return EINVAL;
	end = p + strcspn(p, "/");
	colon = memchr(p, ':', (size_t)(end - p));
	if (*p == '[') {                       /* [v6]:port */
		const char *rb = memchr(p, ']', (size_t)(end - p));
		if (!rb)
			return EINVAL;
		colon = rb[1] == ':' ? rb + 1 : NULL;
		snprintf(host, n, "%.*s", (int)(rb - p - 1), p + 1);
	}
	else {
		snprintf(host, n, "%.*s", (int)((colon ? colon : end) - p), p);
	}
	snprintf(port, pn, "%.*s", colon ? (int)(end - colon - 1) : 2,
		 colon ? colon + 1 : "80");
	return *host && *port ? 0 : EINVAL;
}

static int dial(const char *host, const char *port)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai, *a;
	struct timeval tv = {.tv_sec = TIMEOUT_S};
	int fd = -1;

	if (getaddrinfo(host, port, &hints, &ai))
		return -1;
	for (a = ai; a && fd < 0; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, a->ai_addr, a->ai_addrlen)) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(ai);
	return fd;
}

static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = send(fd, buf, len, MSG_NOSIGNAL);
		if (w <= 0)
			return EIO;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* One request; *status and *body (parsed JSON, yours) from the answer.
 * The connection is closed by the server after it (Connection: close). */
int app_http_request(const char *api, const char *method, const char *path,
		   json_t *in, int *status, json_t **body)
{
	const char *token = getenv("HOTLINE_TOKEN");
	char host[256], port[16], head[1024];
	char *text = in ? json_dumps(in, JSON_COMPACT) : NULL;
	char *resp = malloc(RESP_MAX + 1);
	size_t len = 0;
	const char *sep;
	int fd, err = 0;

	*body = NULL;
	if (!resp || url_split(api, host, sizeof(host), port, sizeof(port))) {
		fprintf(stderr, "hotline: bad --api URL '%s' (want "
			"http://HOST:PORT)\n", api);
		err = EINVAL;
		goto out;
	}
	fd = dial(host, port);
	if (fd < 0) {
		fprintf(stderr, "hotline: cannot reach %s: %s\n", api,
			strerror(errno ? errno : ECONNREFUSED));
		err = ECONNREFUSED;
		goto out;
	}
	snprintf(head, sizeof(head), "%s %s HTTP/1.1\r\nHost: %s:%s\r\n"
		 "Connection: close\r\nAccept: application/json\r\n"
		 "%s%s%s"
		 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
		 method, path, host, port, token ? "Authorization: Bearer " : "",
		 token ? token : "", token ? "\r\n" : "", text ? strlen(text) : 0);
	err = send_all(fd, head, strlen(head));
	if (!err && text)
		err = send_all(fd, text, strlen(text));
	while (!err && len < RESP_MAX) {
		ssize_t r = recv(fd, resp + len, RESP_MAX - len, 0);
		if (r < 0)
			err = EIO;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	resp[len] = '\0';
	sep = strstr(resp, "\r\n\r\n");
	if (err || !sep || sscanf(resp, "HTTP/1.%*d %d", status) != 1) {
		fprintf(stderr, "hotline: no answer from %s\n", api);
		err = EIO;
		goto out;
	}
	*body = json_loads(sep + 4, JSON_DISABLE_EOF_CHECK, NULL);
out:
	free(text);
	free(resp);
	return err;
}

int app_api_call(const char *api, const char *method, const char *path,
		    json_t *in, json_t **out)
{
	json_t *body;
	int status = 0;

	if (app_http_request(api, method, path, in, &status, &body))
		return 1;
	if (status >= 300) {
		const json_t *e = json_object_get(body, "error");
		fprintf(stderr, "hotline: %d: %s\n", status,
			json_is_string(e) ? json_string_value(e) :
			status == 401 ? "set HOTLINE_TOKEN to an administrator's "
			"token" : "refused");
		json_decref(body);
		return 1;
	}
	if (out)
		*out = body;
	else
		json_decref(body);
	return 0;
}
