/* prompt: uploaded prompts (上传的语音文件). An upload (any audio file
 * libsndfile reads, any rate and channels) is converted once to what the
 * media engine plays, 8 kHz mono 16-bit, and kept as
 * DATA_DIR/prompts/<name>.wav with a row in the prompts table; IVR flows
 * name it ({"file": name}) and calls play it (prompt_load).
 *
 * Facts that always hold:
 *  (1) A name is in the store exactly while its file is whole on disk: the
 *      converted file is renamed into place before prompt_put adds the
 *      name, and prompt_delete takes the name away before the file goes.
 *  (2) Nothing on the loop reads or writes audio: conversion runs on a
 *      worker (the caller's), loading and removing files on the store's
 *      serial lane of the house pool (base/pool).
 *  (3) With a user hook set (prompt_store_set_user), a prompt the user
 *      names (a stored IVR flow) is not deleted.
 *  (4) Every accepted prompt_load's handler runs exactly once, on the loop,
 *      never inside prompt_load, unless prompt_store_free comes first. */
#ifndef HL_PROMPT_H
#define HL_PROMPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct pool;
struct media_prompt;
struct mod_export;

extern const struct mod_export prompt_module;

enum {
	PROMPT_NAME_MAX = 64,        /* bytes: letters, digits, - _ . */
	PROMPT_MAX_S = 600,          /* longer uploads are refused */
	PROMPT_BY_MAX = 64,
};

/* One stored prompt: its row. */
struct prompt_info {
	char    name[PROMPT_NAME_MAX + 1];
	int64_t duration_ms;
	int     orig_rate;               /* the upload's */
	int     orig_channels;
	char    by[PROMPT_BY_MAX + 1];   /* who uploaded it */
	int64_t at;                      /* when, ms since the epoch */
};

struct prompt_store;

/* Loads the rows (blocks on the database: start-up only), creates
 * DATA_DIR/prompts and takes a serial lane of pool for the files. db and
 * pool outlive the store, data_dir is copied. *sp is the caller's
 * (prompt_store_free). EINVAL, ENOSPC (no lane left), EIO, ENOMEM, or
 * mkdir's errno. */
int  prompt_store_alloc(struct prompt_store **sp, struct db *db,
			struct pool *pool, const char *data_dir);
/* Stops the store's lane (the load running finishes; pending loads
 * dropped, handlers not run, args released; removals already done are
 * logged) and frees; NULL is fine. On the loop. */
void prompt_store_free(struct prompt_store *s);

/* True for a name a prompt may have: 1..PROMPT_NAME_MAX of [A-Za-z0-9-_.],
 * not starting with a dot (so it is one file name, never a path). */
bool prompt_name_ok(const char *name);
/* True when name is stored. */
bool prompt_exists(const struct prompt_store *s, const char *name);
/* Copies name's row into *out; ENOENT. */
int  prompt_get(const struct prompt_store *s, const char *name,
		struct prompt_info *out);
/* Calls h for every stored prompt in name order; non-zero stops and is
 * returned. */
int  prompt_each(const struct prompt_store *s,
		 int (*h)(const struct prompt_info *it, void *arg), void *arg);
/* The file of name relative to the data directory ("prompts/x.wav"). */
int  prompt_rel_path(const char *name, char *buf, size_t n);

/* ---- uploads: prompt_convert and prompt_file_save on a worker, then
 * prompt_put on the loop ---- */

/* Converts an upload (len bytes at buf, any format libsndfile reads) to
 * 8 kHz mono: *pcmp (free()) holds *np samples, wi the original rate and
 * channels. Uses a temporary file in tmp_dir. Blocks: off the loop. On
 * failure *why says why in words for the client: EBADMSG not audio,
 * ENODATA no samples, EFBIG longer than PROMPT_MAX_S; else ENOMEM, EIO. */
int  prompt_convert(const void *buf, size_t len, const char *tmp_dir,
		    int16_t **pcmp, size_t *np, int *rate, int *channels,
		    const char **why);
/* Writes name's file (tmp + rename) under the store's directory. Blocks:
 * off the loop; reads only what prompt_store_alloc set. */
int  prompt_file_save(const struct prompt_store *s, const char *name,
		      const int16_t *pcm, size_t n);
/* The store's directory of prompt files (DATA_DIR/prompts). */
const char *prompt_dir(const struct prompt_store *s);
/* Adds or replaces the row of it->name (its file is saved) and forgets
 * any copy of the old audio in memory. On the loop. EINVAL, ENOMEM. */
int  prompt_put(struct prompt_store *s, const struct prompt_info *it);

/* Who names prompts: true, with up to n bytes of its name in user, when
 * name is in use. */
typedef bool (prompt_user_h)(void *arg, const char *name, char *user,
			     size_t n);
/* Sets (or, h NULL, clears) the hook prompt_delete asks. */
void prompt_store_set_user(struct prompt_store *s, prompt_user_h *h,
			   void *arg);
/* Removes name: the row now, the file on the worker. ENOENT; EBUSY with
 * the user's name in user (n bytes) while the user hook says it is named. */
int  prompt_delete(struct prompt_store *s, const char *name, char *user,
		   size_t n);

/* ---- playing ---- */

/* The result of prompt_load: err 0 and p (borrowed: media_prompt_ref to
 * keep it), or ENOENT (no such prompt, or its file is gone), EBADMSG,
 * ENOMEM. */
typedef void (prompt_load_h)(int err, struct media_prompt *p, void *arg);
/* Asks for name's audio; h(err, p, arg) runs later on the loop (fact 4).
 * Read on the worker the first time, then kept in memory until replaced
 * or deleted. arg is a libre object (or NULL), referenced until h ran.
 * ENOENT for an unknown name, ENOMEM, EBUSY (worker queue full). */
int  prompt_load(struct prompt_store *s, const char *name, prompt_load_h *h,
		 void *arg);

#endif
