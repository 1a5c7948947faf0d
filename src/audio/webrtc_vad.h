/* audio/webrtc_vad: the C voice-activity detector inside Debian's
 * libwebrtc-audio-processing (0.3), whose -dev package exports these
 * symbols but ships no header for them. The declarations are WebRTC's own
 * (common_audio/vad/include/webrtc_vad.h of that release; checked against
 * the library's code: Create takes no argument and returns the handle,
 * Process takes the frame length as a size_t). */
#ifndef HL_AUDIO_WEBRTC_VAD_H
#define HL_AUDIO_WEBRTC_VAD_H

#include <stddef.h>
#include <stdint.h>

typedef struct WebRtcVadInst VadInst;

/* A new detector (malloc'd), or NULL; WebRtcVad_Init it before use. */
VadInst *WebRtcVad_Create(void);
/* Frees a detector; NULL is fine. */
void WebRtcVad_Free(VadInst *handle);
/* Resets to the default mode and a fresh noise model: 0, or -1. */
int  WebRtcVad_Init(VadInst *handle);
/* Aggressiveness 0 (quality) .. 3 (very aggressive): 0, or -1. */
int  WebRtcVad_set_mode(VadInst *handle, int mode);
/* One frame of 10, 20 or 30 ms at 8, 16, 32 or 48 kHz: 1 voice, 0 none,
 * -1 bad arguments. */
int  WebRtcVad_Process(VadInst *handle, int fs, const int16_t *audio_frame,
		       size_t frame_length);

#endif
