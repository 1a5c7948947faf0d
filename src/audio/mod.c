/* audio/mod: the module's row. It starts before media (app/modules.c),
 * which reports every finished recording to audio_recorded, and so stops
 * after it: by then the media engine has finished every recording and
 * reported it, and the queue holds the last of them. Its one route, the
 * player's timeline, reads the database alone (http.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "audio/audio_int.h"
#include "base/cfg.h"
#include "base/mod.h"
#include "base/util.h"

/* How far back a start looks for calls a stop or a crash left unmeasured. */
#define CATCH_UP_DAYS 7

static int start(struct mod_house *h, char *err, size_t n)
{
	struct audio_values v;
	enum audio_lang lang;
	int e;

	if (cfg_read(h->cfg, audio_settings.rows, audio_settings.n, &v, err, n))
		return EINVAL;
	/* the row's words are audio_lang_names: the word names the enum */
	if (audio_lang_parse(v.language, &lang)) {
		snprintf(err, n, "bad audio.language '%s'", v.language);
		return EINVAL;
	}
	e = audio_alloc(&h->audio, h->db, lang);

	if (e) {
		snprintf(err, n, "cannot start audio measuring (%s)",
			 strerror(e));
		return e;
	}
	if (h->data_dir)
		(void)audio_catch_up(h->audio, h->data_dir, util_now_ms() -
				     (int64_t)CATCH_UP_DAYS * 86400 * 1000);
	return 0;
}

static void stop(struct mod_house *h)
{
	audio_free(h->audio);
	h->audio = NULL;
}

const struct mod_export audio_module = {
	.name = "audio", .start = start, .stop = stop,
	.routes = &audio_routes, .settings = &audio_settings,
};
