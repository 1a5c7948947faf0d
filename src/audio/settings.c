/* audio/settings: the language the recordings are measured in, for the
 * module's export row (base/mod.h). The start hook (mod.c) reads it once
 * into struct audio_values (audio_int.h) and gives the service its
 * enum audio_lang. */
#include "base/field.h"
#include "base/mod.h"
#include "base/util.h"
#include "audio/audio_int.h"

static const struct field rows[] = {
	{.name = "audio.language", .kind = FIELD_ENUM,
	 .words = audio_lang_names, FIELD_AT(struct audio_values, language),
	 .def = "zh",
	 .help = "the language agents speak (zh or en), for the speaking rate the audio measures give",
	 .doc = "the language the agents speak, `zh` (Mandarin) or `en`: a Mandarin syllable shows about two loudness peaks, an English one one, so the agent's speaking rate (`agent_words_per_min`) is counted in that language's syllables (docs/qa.md)"},
};

const struct mod_settings audio_settings = {
	rows, ARRAY_LEN(rows), sizeof(struct audio_values),
};
