/*
 * draw_int.h - the draw context's insides, shared by draw.c (targets,
 * shapes, frames, events) and draw_text.c (fonts, the string cache, text
 * fitting and wrapping). Private to those two files.
 */
#ifndef XCSIM_DRAW_INT_H
#define XCSIM_DRAW_INT_H

#include <SDL.h>
#include <SDL_ttf.h>

#include "draw.h"

#define TEXT_CACHE 2048u	/* slots, a power of two */
#define TEXT_CACHE_FILL 1400u
#define TEXT_MAX 160u

struct text_entry {
	bool used;
	uint8_t font;
	struct draw_color c;
	char s[TEXT_MAX];
	SDL_Texture *tex;
	int w, h;
};

struct draw {
	SDL_Window *win;	/* NULL when headless */
	SDL_Renderer *wren;	/* the window's renderer */
	SDL_Texture *wtex;	/* the frame, uploaded for the window */
	SDL_Renderer *ren;	/* software renderer on surf */
	SDL_Surface *surf;	/* the frame */
	SDL_Rect clip;
	bool video_init;
	bool ttf_init;
	TTF_Font *font[DF_MAX];
	int font_h[DF_MAX];

	SDL_Vertex *vtx;
	int nvtx, capvtx;
	int *idx;
	int nidx, capidx;

	struct text_entry *cache;
	size_t ncache;
	struct text_entry spill;	/* a text drawn once, uncached */

	/* texts drawn this frame, and how many of them uncached */
	unsigned ntexts, nspill;

	/* texts of this frame that the clip rectangle or the target cut */
	unsigned ncut;
	char cut_last[96];
};

/* draw.c: rasterise the queued shapes (before SDL draws over them). */
void draw_flush(struct draw *d);
/* draw_text.c */
int draw_open_fonts(struct draw *d, char *err, size_t errlen);
void draw_close_fonts(struct draw *d);
void draw_cache_clear(struct draw *d);

#endif
