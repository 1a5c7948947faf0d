/* log: one line per event on standard error, "TIME LEVEL event key=value ...".
 * Thread-safe; a line is written whole or not at all. */
#ifndef HL_BASE_LOG_H
#define HL_BASE_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Lines below lvl are dropped from now on. */
void log_set_level(enum log_level lvl);

/* Parses "debug", "info", "warn" or "error"; 0 on success, EINVAL otherwise. */
int  log_level_parse(const char *s, enum log_level *lvl);

/* Writes "TIME LEVEL event" then fmt (key=value pairs by convention). */
void log_msg(enum log_level lvl, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_debug(ev, ...) log_msg(LOG_DEBUG, ev, __VA_ARGS__)
#define log_info(ev, ...)  log_msg(LOG_INFO, ev, __VA_ARGS__)
#define log_warn(ev, ...)  log_msg(LOG_WARN, ev, __VA_ARGS__)
#define log_error(ev, ...) log_msg(LOG_ERROR, ev, __VA_ARGS__)

#endif
