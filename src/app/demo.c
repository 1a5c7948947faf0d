/* app/demo: the demo tenant of CONTRACT.md, created on first start and
 * left as it is later (every insert yields to an existing row). */
#include <errno.h>
#include <stdio.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mbuf.h>
#include <re_msg.h>
#include <re_list.h>
#include <re_sa.h>
#include <re_uri.h>
#include <re_sip.h>
#include "app/app_int.h"
#include "base/util.h"
#include "db/db.h"
#include "sip/sipx.h"

/* The agents' phones: extension, display name. Password "secret<ext>". */
static const struct {
	const char *ext;
	const char *name;
} demo_exts[] = {
	{"1001", "Agent 1001"}, {"1002", "Agent 1002"}, {"1003", "Agent 1003"},
	{"1004", "Agent 1004"}, {"1005", "Agent 1005"}, {"1006", "Agent 1006"},
	{"1007", "Agent 1007"}, {"1008", "Agent 1008"}, {"1009", "Agent 1009"},
	{"1010", "Agent 1010"},
};

int app_demo_extensions(struct db *db, const char *realm)
{
	char pw[32], ha1[SIPX_HA1_SZ];
	int err;

	if (!db || !realm)
		return EINVAL;
	for (size_t i = 0; i < ARRAY_LEN(demo_exts); i++) {
		snprintf(pw, sizeof(pw), "secret%s", demo_exts[i].ext);
		err = sipx_ha1(demo_exts[i].ext, realm, pw, ha1);
		err = err ? err : db_exec(db,
			"INSERT INTO extensions(ext, display_name, ha1, enabled, "
			"created_at) VALUES(?, ?, ?, 1, ?) "
			"ON CONFLICT(ext) DO NOTHING", "ttti", demo_exts[i].ext,
			demo_exts[i].name, ha1, util_now_ms());
		if (err)
			return err;
	}
	return 0;
}
