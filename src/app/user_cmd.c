/* app/user_cmd: "hotline user", web users on a center's database, stopped
 * or running: the first administrator of a fresh data directory, a
 * forgotten password, a user who left.
 *
 *   hotline user add NAME --role ROLE --password-stdin [--display NAME]
 *                    [--ext EXT] [--department ID] [--scope SCOPE]
 *                    [--mask-numbers yes|no] [--data DIR | --db URL]
 *   hotline user list [--data DIR | --db URL]
 *   hotline user passwd NAME --password-stdin [--data DIR | --db URL]
 *   hotline user del NAME [--data DIR | --db URL]
 *
 * The database is opened as the server opens it (migrations first, so a
 * fresh directory gets its tables) and written directly: SQLite's WAL lets
 * a running server go on meanwhile, and it reads users from the database
 * at each sign-in, so a user added here can sign in at once. The stores are
 * api/'s (user.c): the same checks and the same Argon2id hashing as the
 * users API. A password comes on standard input, one line, never on the
 * command line (where ps and shell histories would show it).
 *
 * Exit status: 0 done; 1 refused (the name exists, no such user, a bad
 * password or department, the last administrator); 2 bad usage. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>
#include "api/api.h"
#include "api/http.h"
#include "app/app.h"
#include "base/log.h"
#include "db/db.h"

/* What the command line gave. */
struct user_args {
	const char *name;
	const char *role, *display, *ext, *department, *scope, *mask;
	const char *data, *db;
	bool password_stdin;
};

struct flag {
	const char *name;
	size_t off;          /* the const char * in struct user_args; or
			      * SIZE_MAX for --password-stdin */
};

#define ARG(f) offsetof(struct user_args, f)

static const struct flag flags[] = {
	{"--role",           ARG(role)},
	{"--display",        ARG(display)},
	{"--ext",            ARG(ext)},
	{"--department",     ARG(department)},
	{"--scope",          ARG(scope)},
	{"--mask-numbers",   ARG(mask)},
	{"--data",           ARG(data)},
	{"--db",             ARG(db)},
	{"--password-stdin", SIZE_MAX},
};

static int run_add(struct db *db, const struct user_args *a);
static int run_list(struct db *db, const struct user_args *a);
static int run_passwd(struct db *db, const struct user_args *a);
static int run_del(struct db *db, const struct user_args *a);

/* One row per subcommand: the flags it takes, besides --data and --db. */
static const struct sub {
	const char *name;
	int (*run)(struct db *db, const struct user_args *a);
	bool takes_name;
	const char *const flags[8];
	const char *usage;
	const char *help;
} subs[] = {
	{"add", run_add, true,
	 {"--role", "--password-stdin", "--display", "--ext", "--department",
	  "--scope", "--mask-numbers"},
	 "add NAME --role ROLE --password-stdin [--display NAME] [--ext EXT] "
	 "[--department ID] [--scope all|departments|own] "
	 "[--mask-numbers yes|no]",
	 "create a web user; the password is read from standard input"},
	{"list", run_list, false, {NULL},
	 "list", "print every user: name, role, extension, department, data scope, masking"},
	{"passwd", run_passwd, true, {"--password-stdin"},
	 "passwd NAME --password-stdin",
	 "set a user's password (read from standard input)"},
	{"del", run_del, true, {NULL},
	 "del NAME", "delete a user (never the last administrator)"},
};

static void print_usage(FILE *f, const struct sub *only)
{
	for (size_t i = 0; i < ARRAY_LEN(subs); i++) {
		if (only && only != &subs[i])
			continue;
		fprintf(f, "%s hotline user %s [--data DIR | --db URL]\n",
			i && !only ? "      " : "usage:", subs[i].usage);
		if (only)
			fprintf(f, "  %s\n", subs[i].help);
	}
	if (!only)
		fprintf(f, "roles: %s\n"
			"exit status: 0 done, 1 refused, 2 bad usage\n",
			api_role_words());
}

static int usage(const struct sub *s, const char *fmt, const char *what)
{
	if (fmt) {
		fprintf(stderr, "hotline user: ");
		fprintf(stderr, fmt, what);
		fprintf(stderr, "\n");
	}
	print_usage(stderr, s);
	return 2;
}

static bool sub_takes(const struct sub *s, const char *flag)
{
	if (!strcmp(flag, "--data") || !strcmp(flag, "--db"))
		return true;
	for (size_t i = 0; i < ARRAY_LEN(s->flags) && s->flags[i]; i++)
		if (!strcmp(s->flags[i], flag))
			return true;
	return false;
}

/* argv[0] is "user", argv[1] the subcommand. */
static int parse(int argc, char **argv, const struct sub *s,
		 struct user_args *a)
{
	int i = 2;

	if (s->takes_name) {
		if (argc < 3 || argv[2][0] == '-')
			return usage(s, "%s: a NAME is needed", s->name);
		a->name = argv[i++];
	}
	for (; i < argc; i++) {
		const struct flag *f = NULL;

		for (size_t k = 0; k < ARRAY_LEN(flags); k++)
			if (!strcmp(flags[k].name, argv[i]))
				f = &flags[k];
		if (!f || !sub_takes(s, argv[i]))
			return usage(s, "unknown flag or argument '%s'", argv[i]);
		if (f->off == SIZE_MAX) {
			a->password_stdin = true;
			continue;
		}
		if (i + 1 >= argc)
			return usage(s, "%s needs a value", argv[i]);
		*(const char **)((char *)a + f->off) = argv[++i];
	}
	if (a->data && a->db)
		return usage(s, "%s: give --data or --db, not both", s->name);
	return 0;
}

/* One line of standard input, without its line end, into buf. */
static int read_password(char *buf, size_t n)
{
	size_t len;

	if (!fgets(buf, (int)n, stdin)) {
		fprintf(stderr, "hotline user: no password on standard input\n");
		return 2;
	}
	len = strcspn(buf, "\r\n");
	if (buf[len] == '\0' && len == n - 1) {
		fprintf(stderr, "hotline user: password longer than %d "
			"characters\n", API_PW_MAX);
		return 1;
	}
	buf[len] = '\0';
	return 0;
}

static int refused(int err, const char *why)
{
	fprintf(stderr, "hotline user: %s\n", *why ? why : strerror(err));
	return 1;
}

static int run_add(struct db *db, const struct user_args *a)
{
	char pw[API_PW_MAX + 2], why[256] = "";
	struct api_user_in in = {
		.password = pw, .role = a->role, .display_name = a->display,
		.extension = a->ext, .department = a->department,
		.scope = a->scope, .mask_set = a->mask != NULL,
		.mask_numbers = a->mask && !strcmp(a->mask, "yes"),
	};
	int rc = read_password(pw, sizeof(pw)), err;

	if (rc)
		return rc;
	err = api_user_add(db, a->name, &in, why, sizeof(why));
	sodium_memzero(pw, sizeof(pw));
	if (err)
		return refused(err, why);
	printf("user %s added (role %s)\n", a->name, a->role);
	return 0;
}

static int run_passwd(struct db *db, const struct user_args *a)
{
	char pw[API_PW_MAX + 2], why[256] = "", id[UTIL_ID_LEN];
	struct api_user_in in = {.password = pw};
	int rc = read_password(pw, sizeof(pw)), err;

	if (rc)
		return rc;
	err = api_user_update(db, a->name, &in, id, why, sizeof(why));
	sodium_memzero(pw, sizeof(pw));
	if (err)
		return refused(err, why);
	printf("password of %s changed; their sessions ended\n", a->name);
	return 0;
}

static int run_del(struct db *db, const struct user_args *a)
{
	char why[256] = "", id[UTIL_ID_LEN];
	int err = api_user_delete(db, a->name, id, why, sizeof(why));

	if (err)
		return refused(err, why);
	printf("user %s deleted\n", a->name);
	return 0;
}

static const char *text_of(const json_t *u, const char *key)
{
	const char *s = json_string_value(json_object_get(u, key));

	return s && *s ? s : "-";
}

static int run_list(struct db *db, const struct user_args *a)
{
	json_t *items = NULL, *u;
	size_t i;

	(void)a;
	if (api_user_list(db, &items)) {
		fprintf(stderr, "hotline user: cannot read users\n");
		return 1;
	}
	printf("%-24s %-11s %-8s %-33s %-12s %-6s %s\n", "USER", "ROLE", "EXT",
	       "DEPARTMENT", "SCOPE", "MASKED", "DISPLAY NAME");
	json_array_foreach(items, i, u)
		printf("%-24s %-11s %-8s %-33s %-12s %-6s %s\n",
		       text_of(u, "username"), text_of(u, "role"),
		       text_of(u, "extension"), text_of(u, "department"),
		       text_of(u, "scope"),
		       json_is_true(json_object_get(u, "mask_numbers")) ?
		       "yes" : "no", text_of(u, "display_name"));
	json_decref(items);
	return 0;
}

/* Checks what the flags alone can tell, before the database is touched. */
static int check(const struct sub *s, const struct user_args *a)
{
	enum api_scope sc;
	unsigned bit;

	if (s->run == run_add && !a->role)
		return usage(s, "%s: --role is needed", s->name);
	if (a->role && api_role_parse(a->role, &bit)) {
		fprintf(stderr, "hotline user: unknown role '%s' (want %s)\n",
			a->role, api_role_words());
		return 2;
	}
	if (a->mask && strcmp(a->mask, "yes") && strcmp(a->mask, "no"))
		return usage(s, "--mask-numbers: want yes or no, not '%s'",
			     a->mask);
	if (a->scope && api_scope_parse(a->scope, &sc))
		return usage(s, "--scope: want all, departments or own, not '%s'",
			     a->scope);
	if ((s->run == run_add || s->run == run_passwd) && !a->password_stdin)
		return usage(s, "%s: --password-stdin is needed (the password "
			     "is never a flag)", s->name);
	return 0;
}

static int open_db(const struct user_args *a, struct db **db)
{
	const char *dir = a->data ? a->data : "./hotline-data";
	char url[600];
	int err;

	if (a->db)
		snprintf(url, sizeof(url), "%s", a->db);
	else {
		/* A fresh center: its data directory is made, as serve
		 * makes it. */
		if (mkdir(dir, 0750) && errno != EEXIST) {
			fprintf(stderr, "hotline user: cannot create %s: %s\n",
				dir, strerror(errno));
			return 1;
		}
		snprintf(url, sizeof(url), "sqlite:%s/hotline.db", dir);
	}
	err = db_open(db, url);
	if (err) {
		fprintf(stderr, "hotline user: cannot open the database %s "
			"(%s)\n", url, strerror(err));
		return 1;
	}
	return 0;
}

int app_user(int argc, char **argv)
{
	const struct sub *s = NULL;
	struct user_args a = {0};
	struct db *db = NULL;
	int rc;

	if (argc < 2)
		return usage(NULL, NULL, NULL);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_usage(stdout, NULL);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_LEN(subs); i++)
		if (!strcmp(subs[i].name, argv[1]))
			s = &subs[i];
	if (!s)
		return usage(NULL, "unknown subcommand '%s'", argv[1]);
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_usage(stdout, s);
			return 0;
		}
	}
	/* The database's notes (migrations applied) are not the command's
	 * output; its warnings and errors still are. */
	log_set_level(LOG_WARN);
	rc = parse(argc, argv, s, &a);
	rc = rc ? rc : check(s, &a);
	rc = rc ? rc : open_db(&a, &db);
	if (rc)
		return rc;
	rc = s->run(db, &a);
	db_close(db);
	return rc;
}
