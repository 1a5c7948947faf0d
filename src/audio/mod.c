/* audio/mod: the module's row. It starts before media (app/modules.c),
 * which reports every finished recording to audio_recorded, and so stops
 * after it: by then the media engine has finished every recording and
 * reported it, and the queue holds the last of them. Its one route, the
 * player's timeline, reads the database alone (http.c). */
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
	const char *name = h->cfg ? cfg_get(h->cfg, "audio.language") : NULL;
	enum audio_lang lang = AUDIO_LANG_ZH;
	int e;

	/* settings.c's row checked the word; a house without settings (tests) gets
	 * the center's default, Mandarin */
	if (name)
		(void)audio_lang_parse(name, &lang);
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
