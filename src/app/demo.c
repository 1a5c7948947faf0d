/* app/demo: the demo tenant of docs/contract.md, created on the first start and
 * left as it is later: a row that exists is never overwritten, so later
 * starts neither rehash passwords nor undo changes made since. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mbuf.h>
#include <re_msg.h>
#include <re_list.h>
#include <re_sa.h>
#include <re_uri.h>
#include <re_sip.h>
#include "api/api.h"
#include "app/app_int.h"
#include "base/log.h"
#include "db/db.h"
#include "ivr/ivr.h"
#include "kb/kb.h"
#include "route/route.h"
#include "sip/sipx.h"

enum { AGENT_FIRST = 1001, AGENT_LAST = 1010 };

/* The demo's passwords are public (docs/contract.md), so their argon2id
 * strings (made once with api_pw_hash's limits) are fixed here: a first
 * start then hashes nothing, which was a second of CPU per start, and
 * the test suite starts a demo two hundred times. tests/unit/app/test_demo
 * checks that each string verifies its password. Agent 100N's password is
 * secretN. */
static const char *const agent_hash[AGENT_LAST - AGENT_FIRST + 1] = {
	"$argon2id$v=19$m=65536,t=2,p=1$vhtcwVWWcgNvOQgAQiz3PA$/zeipaK33tnZJGnUScgWkE6svUjr0Gt78DwHMNI2mLs",
	"$argon2id$v=19$m=65536,t=2,p=1$1zxEIlNJVwK+lGM51FNAYQ$6+lcb2+ThES2o9ArUEy4+U/bNuU6EWmcWmEbw8DVYeQ",
	"$argon2id$v=19$m=65536,t=2,p=1$A9Ib8NFhS5LKV4Fz1UsLwQ$MSo+5bQ1zEGhnxoZUIKTGcDb/6JNsHkE/Lj0ruKKOY8",
	"$argon2id$v=19$m=65536,t=2,p=1$lp//kWviwQUCrgn4klndBw$iq90Qpztr8yP8/lW38leNd3QOLDRp3XwWqWUw0XiDoM",
	"$argon2id$v=19$m=65536,t=2,p=1$HcH0ChlKexhl/ds3D23jJQ$IF9edd2Gydy7tOmQAqzxoEG5bV6MM8QaNowH5qd6yBI",
	"$argon2id$v=19$m=65536,t=2,p=1$fLFCR9+EFwpUtKstDgmdiA$G8pXMzs8UT49FscM1ESPANB/AWEl2vlUzBuo5D9Ik/A",
	"$argon2id$v=19$m=65536,t=2,p=1$mZapmcvg3fUY3IHL/ZUyQQ$Hqsa094cBvZYjswrjF11fZWuIKKOTLyOKS4pW1muWws",
	"$argon2id$v=19$m=65536,t=2,p=1$mq7LS3CeUUbWIKjaWmK/EQ$BYbY5oUFWbVdrbPuXCj1jP7pekFl11f9+8PLtvA4oa4",
	"$argon2id$v=19$m=65536,t=2,p=1$BhnjWm44skovmqjBUy7VCg$neuR7mqXjf/sMN0M4SWYf0/eeNUYO4jMtl3yFNqfw+o",
	"$argon2id$v=19$m=65536,t=2,p=1$GHTEQhiBhfXPbUMSdlbJ4w$wqFmWzpNMdDG07Nxy++lqSNCePHfTjyF1naAKT1TtDA",
};

/* Web users who are not agents. scope: the contract's sup supervises
 * every demo queue, so it sees every call, not its role's default of its
 * departments (it has none). */
static const struct {
	const char *username, *role, *scope, *hash;
} staff[] = {
	{"admin", "admin",      NULL,           /* admin123 */
	 "$argon2id$v=19$m=65536,t=2,p=1$l+zb/J/O7y1dodEmVUvqJA$mifYKaur/XQGQYMpUwPY+qZTFTnQVv7NaY/Eel578Ig"},
	{"sup",   "supervisor", "all",          /* sup123 */
	 "$argon2id$v=19$m=65536,t=2,p=1$J+jKfLHDEqzb7TdC8baiBw$fXYKA68gW22c3O6W5elSsSEanMFYKbQIg1EUoOsZg68"},
};

/* Dialled numbers. consent: the recording consent prompt, spoken before
 * the queue; on a line of its own, so the contract's lines keep their
 * timing (docs/calls.md, "Recording consent"). */
static const struct {
	const char *did, *kind, *target, *description, *consent;
} dids[] = {
	{"4008001000", "ivr", "main", "main line: the voice menu", NULL},
	{"4008002000", "queue", "support", "support line", NULL},
	{"4008003000", "queue", "sales", "sales line", NULL},
	{"4008004000", "ivr", "orders", "self-service: order status", NULL},
	{"4008005000", "ivr", "hours", "service line: agents in opening hours, "
	 "messages out of hours", NULL},
	{"4008006000", "queue", "sales", "sales line, recorded with consent",
	 "本次通话可能会被录音"},
};

/* The voice menu of docs/contract.md: a greeting, then 1 for sales, 2 for
 * support; 10 s without a key (after the menu has been heard), or a wrong
 * key twice, reach support. 0 reaches an agent from anywhere (按键转人工).
 * The choice goes with the call as call-associated data (随路数据), which
 * the agent's ringing and answered events carry to the screen pop. */
static const char main_flow[] =
	"{\"name\": \"main\", \"start\": \"welcome\", \"voice\": \"zh\","
	" \"description\": \"demo main line\","
	" \"agent\": {\"key\": \"0\", \"queue\": \"support\"},"
	" \"nodes\": {"
	"  \"welcome\": {\"kind\": \"play\", \"next\": \"menu\","
	"   \"prompt\": \"您好，欢迎致电热线服务中心。\"},"
	"  \"menu\": {\"kind\": \"menu\","
	"   \"prompt\": \"销售咨询请按1，技术支持请按2。\","
	"   \"keys\": {\"1\": \"sales_data\", \"2\": \"support_data\"},"
	"   \"timeout_ms\": 10000, \"timeout_retries\": 0,"
	"   \"invalid_retries\": 1,"
	"   \"invalid_prompt\": \"输入有误，请重新选择。\","
	"   \"default\": \"support_data\"},"
	"  \"sales_data\": {\"kind\": \"set\", \"next\": \"sales\","
	"   \"data\": {\"ivr\": {\"menu\": \"sales\", \"业务\": \"销售咨询\"}}},"
	"  \"support_data\": {\"kind\": \"set\", \"next\": \"support\","
	"   \"data\": {\"ivr\": {\"menu\": \"support\", \"业务\": \"技术支持\"}}},"
	"  \"sales\": {\"kind\": \"queue\", \"queue\": \"sales\"},"
	"  \"support\": {\"kind\": \"queue\", \"queue\": \"support\"}}}";

/* One article for each choice of main's menu, tagged ivr: + the choice it
 * writes as ivr.menu, so the screen pop of a demo call suggests it
 * (docs/ivr.md). */
static const char *const sales_tags[] = {"ivr:sales", "销售", NULL};
static const char *const support_tags[] = {"ivr:support", "技术支持", NULL};
static const struct kb_seed_article articles[] = {
	{"销售咨询：产品选购指南",
	 "## 选购建议\n\n- 先问清客户的使用场景和预算\n"
	 "- 介绍在售的主推产品和当前优惠活动\n"
	 "- 客户需要报价时，记下联系方式，创建「业务受理」工单\n",
	 "ivr:sales,销售", sales_tags, "admin"},
	{"技术支持：设备无法开机的排查",
	 "## 排查步骤\n\n1. 确认电源线与插座连接良好\n"
	 "2. 长按电源键 10 秒后再开机\n"
	 "3. 仍无法开机时，记下设备型号，创建工单转技术部\n",
	 "ivr:support,技术支持", support_tags, "admin"},
};

/* Self-service (自助查询): an order number ended by #, looked up at the
 * demo's endpoint (demo_http.c) on this server (%s: its host:port); its status
 * and amount read out, then goodbye. A number the service does not know,
 * or a service that fails, reaches support; so do silence and 0. */
static const char orders_flow[] =
	"{\"name\": \"orders\", \"start\": \"ask\", \"voice\": \"zh\","
	" \"description\": \"demo self-service: order status\","
	" \"agent\": {\"key\": \"0\", \"queue\": \"support\"},"
	" \"nodes\": {"
	"  \"ask\": {\"kind\": \"collect\", \"var\": \"order\","
	"   \"prompt\": \"请输入您的订单号，以井号键结束。\","
	"   \"min\": 1, \"max\": 12, \"terminator\": \"#\","
	"   \"first_timeout_ms\": 10000, \"inter_timeout_ms\": 5000,"
	"   \"timeout_retries\": 1, \"invalid_retries\": 1,"
	"   \"next\": \"query\", \"default\": \"support\"},"
	"  \"query\": {\"kind\": \"http\", \"method\": \"GET\","
	"   \"url\": \"/api/v1/demo/orders/{order}\","
	"   \"timeout_ms\": 3000,"
	"   \"map\": {\"status\": \"status\", \"amount\": \"amount\"},"
	"   \"ok\": \"status\", \"fail\": \"sorry\"},"
	"  \"status\": {\"kind\": \"play\", \"next\": \"amount\","
	"   \"prompt\": \"您的订单{order}，状态：{status}。\"},"
	"  \"amount\": {\"kind\": \"say\", \"as\": \"money\","
	"   \"value\": \"{amount}\", \"before\": \"订单金额\","
	"   \"next\": \"bye\"},"
	"  \"bye\": {\"kind\": \"hangup\","
	"   \"prompt\": \"感谢您的来电，再见。\"},"
	"  \"sorry\": {\"kind\": \"play\", \"next\": \"support\","
	"   \"prompt\": \"抱歉，暂时查不到该订单，正在为您转接人工服务。\"},"
	"  \"support\": {\"kind\": \"queue\", \"queue\": \"support\"}}}";

/* The service line's opening hours: weekdays 09:00-18:00 Beijing time,
 * closed on the 2027 Spring Festival, open on its make-up working day
 * (调休). Out of hours the caller leaves a message for support's mailbox
 * 1006, listed for call-back. */
static const char hours_flow[] =
	"{\"name\": \"hours\", \"start\": \"when\", \"voice\": \"zh\","
	" \"description\": \"demo service line with opening hours\","
	" \"agent\": {\"key\": \"0\", \"queue\": \"support\"},"
	" \"nodes\": {"
	"  \"when\": {\"kind\": \"schedule\", \"open\": \"support\","
	"   \"closed\": \"closed_msg\", \"hours\": {\"tz\": \"Asia/Shanghai\","
	"   \"weekly\": [{\"days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"],"
	"    \"from\": \"09:00\", \"to\": \"18:00\"}],"
	"   \"holidays\": [\"2027-02-05..2027-02-13\"],"
	"   \"workdays\": [{\"date\": \"2027-02-14\", \"as\": \"mon\"}]}},"
	"  \"closed_msg\": {\"kind\": \"play\", \"barge\": false, \"next\": \"message\","
	"   \"prompt\": \"您好，现在是非工作时间，工作时间为周一至周五上午九点至下午六点。"
	"请在提示音后留言，我们会尽快回电。\"},"
	"  \"message\": {\"kind\": \"voicemail\", \"box\": \"1006\"},"
	"  \"support\": {\"kind\": \"queue\", \"queue\": \"support\"}}}";

/* The satisfaction survey (满意度调查) a queue can send its callers to when
 * their agent hangs up (queue setting "survey"; off in the demo until a
 * queue names it): one key, 1 to 5, kept as the call data survey.rating. */
static const char survey_flow[] =
	"{\"name\": \"survey\", \"start\": \"ask\", \"voice\": \"zh\","
	" \"description\": \"demo satisfaction survey\","
	" \"nodes\": {"
	"  \"ask\": {\"kind\": \"collect\", \"var\": \"rating\","
	"   \"prompt\": \"请为本次服务评分：非常满意请按5，满意请按4，一般请按3，"
	"不满意请按2，非常不满意请按1。\","
	"   \"min\": 1, \"max\": 1, \"terminator\": \"\", \"pattern\": \"[1-5]\","
	"   \"first_timeout_ms\": 8000, \"timeout_retries\": 1,"
	"   \"invalid_retries\": 1, \"agent_key\": false,"
	"   \"next\": \"keep\", \"timeout\": \"bye\", \"invalid\": \"bye\"},"
	"  \"keep\": {\"kind\": \"set\", \"next\": \"thanks\","
	"   \"data\": {\"survey\": {\"rating\": \"{rating}\"}}},"
	"  \"thanks\": {\"kind\": \"play\", \"prompt\": \"感谢您的评价，再见。\","
	"   \"next\": \"bye\"},"
	"  \"bye\": {\"kind\": \"hangup\"}}}";

/* The demo queues: longest-idle, 15 s rings, 3 s of wrap-up, 80/20. */
static const struct {
	const char *name;
	int64_t id;
	int first, last;     /* member extensions */
} queues[] = {
	{"sales",   1, 1001, 1005},
	{"support", 2, 1006, 1010},
};

static int ensure_queue(struct db *db, size_t i)
{
	char ext[12];
	int err = db_exec(db,
		"INSERT INTO queues (name, id, strategy, ring_timeout_ms, "
		"retry_ms, max_wait_ms, max_len, wrapup_ms, noanswer_pause_ms, "
		"noanswer_max, weight, overflow, sl_ms, short_abandon_ms, "
		"created_at) VALUES (?, ?, 'longest-idle', 15000, 0, 0, 0, 3000, "
		"5000, 3, 1, 'hangup', 20000, 20000, ?) ON CONFLICT DO NOTHING",
		"tii", queues[i].name, queues[i].id, util_now_ms());

	for (int e = queues[i].first; !err && e <= queues[i].last; e++) {
		snprintf(ext, sizeof(ext), "%d", e);
		err = db_exec(db, "INSERT INTO queue_members (queue, ext, skill,"
			      " position) VALUES (?, ?, 0, ?) ON CONFLICT DO "
			      "NOTHING", "tti", queues[i].name, ext,
			      (int64_t)(e - queues[i].first));
	}
	return err;
}

static int ensure_user(struct db *db, const char *user, const char *hash,
		       const char *role, const char *ext, unsigned *made)
{
	int exists = 0;
	int err = api_user_exists(db, user, &exists);

	if (err || exists)
		return err;
	err = api_user_put_hashed(db, user, hash, role, ext);
	if (!err)
		(*made)++;
	return err;
}

static int ensure_extension(struct db *db, const char *ext, const char *pw,
			    const char *realm)
{
	char ha1[SIPX_HA1_SZ], name[32];
	int err = sipx_ha1(ext, realm, pw, ha1);

	snprintf(name, sizeof(name), "Agent %s", ext);
	return err ? err : db_exec(db,
		"INSERT INTO extensions(ext, display_name, ha1, enabled, "
		"created_at) VALUES(?, ?, ?, 1, ?) "
		"ON CONFLICT(ext) DO NOTHING", "ttti", ext, name, ha1,
		util_now_ms());
}

int app_demo_provision(struct db *db, const char *realm)
{
	char ext[12], pw[20];
	unsigned made = 0;
	int err = 0;

	if (!db || !realm)
		return EINVAL;
	for (int e = AGENT_FIRST; !err && e <= AGENT_LAST; e++) {
		snprintf(ext, sizeof(ext), "%d", e);
		snprintf(pw, sizeof(pw), "secret%d", e);
		err = ensure_extension(db, ext, pw, realm);
		if (!err)
			err = ensure_user(db, ext, agent_hash[e - AGENT_FIRST],
					  "agent", ext, &made);
	}
	for (size_t i = 0; !err && i < ARRAY_LEN(staff); i++) {
		err = ensure_user(db, staff[i].username, staff[i].hash,
				  staff[i].role, NULL, &made);
		/* Only while unset: also a demo made before scopes existed,
		 * never a scope an administrator chose since. */
		if (!err && staff[i].scope)
			err = db_exec(db, "UPDATE users SET scope = ? WHERE "
				      "username = ? AND scope IS NULL", "tt",
				      staff[i].scope, staff[i].username);
	}
	for (size_t i = 0; !err && i < ARRAY_LEN(queues); i++)
		err = ensure_queue(db, i);
	if (!err)
		err = ivr_seed(db, "main", main_flow);
	if (!err)
		err = ivr_seed(db, "survey", survey_flow);
	if (!err)
		err = ivr_seed(db, "hours", hours_flow);
	if (!err)
		err = ivr_seed(db, "orders", orders_flow);
	if (!err)
		err = kb_seed(db, articles, ARRAY_LEN(articles), util_now_ms());
	for (size_t i = 0; !err && i < ARRAY_LEN(dids); i++)
		err = route_seed(db, &(struct route_did){
			.did = dids[i].did, .kind = dids[i].kind,
			.target = dids[i].target,
			.description = dids[i].description,
			.consent_text = dids[i].consent});
	if (err)
		log_error("demo.failed", "err=%d", err);
	else
		log_info("demo.ready", "users_created=%u", made);
	return err;
}
