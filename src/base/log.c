/* log: timestamped key=value lines, assembled in one buffer per line so that
 * lines from several threads never interleave. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "base/log.h"
#include "base/util.h"

static enum log_level min_level = LOG_INFO;

static const char *const level_names[] = {
	[LOG_DEBUG] = "debug", [LOG_INFO] = "info",
	[LOG_WARN]  = "warn",  [LOG_ERROR] = "error",
};

void log_set_level(enum log_level lvl)
{
	min_level = lvl;
}

int log_level_parse(const char *s, enum log_level *lvl)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(*level_names); i++) {
		if (s && !strcmp(s, level_names[i])) {
			*lvl = (enum log_level)i;
			return 0;
		}
	}
	return EINVAL;
}

void log_msg(enum log_level lvl, const char *event, const char *fmt, ...)
{
	char line[2048], ts[UTIL_TIME_LEN];
	va_list ap;
	int n;

	if (lvl < min_level)
		return;

	util_rfc3339_ms(ts, util_now_ms());
	n = snprintf(line, sizeof(line), "%s %s %s ", ts, level_names[lvl],
		     event);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);

	/* One fputs under the stream lock: a line is never split. */
	flockfile(stderr);
	fputs(line, stderr);
	fputc('\n', stderr);
	funlockfile(stderr);
}
