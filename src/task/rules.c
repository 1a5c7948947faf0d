/* task/rules: the pure rules of tasks — states and their transitions, how
 * a task counts in the completion statistics at a given time, and what a
 * phone number and an origin may be. No I/O, no clock: the statistics of
 * a past period are the same whenever they are asked for, given now.
 *
 *   open ──done──► done        (by hand with an outcome, or by a call made)
 *   open ──cancel► cancelled
 *   done, cancelled: final
 *
 * Overdue is no state: an open task is overdue while now > due_at. */
#include <errno.h>
#include <string.h>
#include "base/util.h"
#include "task/task.h"

static const char *const states[] = {
	[TASK_OPEN] = "open", [TASK_DONE] = "done",
	[TASK_CANCELLED] = "cancelled",
};

/* [from][to]: the only ways out of open; nothing leaves an ended task. */
static const bool moves[3][3] = {
	[TASK_OPEN] = {[TASK_DONE] = true, [TASK_CANCELLED] = true},
};

static const char *const classes[TASK_C_COUNT] = {
	[TASK_C_ON_TIME] = "on_time", [TASK_C_LATE] = "late",
	[TASK_C_OPEN] = "open", [TASK_C_OVERDUE] = "overdue",
	[TASK_C_CANCELLED] = "cancelled",
};

static const char *const origins[] = {"manual", "voicemail", "abandoned",
	"ticket"};

int task_state_parse(const char *s, enum task_state *st)
{
	for (size_t i = 0; s && i < ARRAY_LEN(states); i++)
		if (!strcmp(s, states[i])) {
			*st = (enum task_state)i;
			return 0;
		}
	return EINVAL;
}

const char *task_state_name(enum task_state st)
{
	return (unsigned)st < ARRAY_LEN(states) ? states[st] : "";
}

bool task_transition_ok(enum task_state from, enum task_state to)
{
	return (unsigned)from < 3 && (unsigned)to < 3 && moves[from][to];
}

enum task_class task_classify(enum task_state st, int64_t due_ms,
			      int64_t ended_ms, int64_t now_ms)
{
	switch (st) {
	case TASK_DONE:
		return ended_ms <= due_ms ? TASK_C_ON_TIME : TASK_C_LATE;
	case TASK_CANCELLED:
		return TASK_C_CANCELLED;
	default:
		return now_ms > due_ms ? TASK_C_OVERDUE : TASK_C_OPEN;
	}
}

const char *task_class_name(enum task_class c)
{
	return (unsigned)c < TASK_C_COUNT ? classes[c] : "";
}

bool task_phone_ok(const char *s)
{
	size_t digits = 0;
	bool sep_ok = false;

	if (!s)
		return false;
	if (!*s)
		return true;
	if (*s == '+')
		s++;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			digits++;
			sep_ok = true;
		} else if ((*s == '-' || *s == ' ') && sep_ok && s[1])
			sep_ok = false;
		else
			return false;
	}
	return digits >= 2 && digits <= 32;
}

bool task_origin_ok(const char *origin)
{
	for (size_t i = 0; origin && i < ARRAY_LEN(origins); i++)
		if (!strcmp(origin, origins[i]))
			return true;
	return false;
}
