/*
 * draw_text.c - fonts and text: rendered strings are kept as textures keyed
 * by font, colour and text (the cache is emptied between frames when it
 * grows past its fill mark, which costs one frame of re-rendering; within a
 * frame that has more distinct texts than it holds, the rest are drawn
 * uncached, never dropped); text is fitted with an
 * ellipsis or wrapped at spaces, never cut mid-glyph, and any text the clip
 * rectangle would cut is counted so tests can require none.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw_int.h"
#include "util.h"

#define FONT_DIR "/usr/share/fonts/truetype/dejavu"

static const struct {
	const char *file;
	int pt;
} font_specs[DF_MAX] = {
	[DF_SMALL] = { "DejaVuSans.ttf", 11 },
	[DF_SANS] = { "DejaVuSans.ttf", 12 },
	[DF_BOLD] = { "DejaVuSans-Bold.ttf", 12 },
	[DF_MONO] = { "DejaVuSansMono.ttf", 11 },
	[DF_TITLE] = { "DejaVuSans-Bold.ttf", 14 },
	[DF_BIG] = { "DejaVuSans-Bold.ttf", 18 },
};

int
draw_open_fonts(struct draw *d, char *err, size_t errlen)
{
	const char *dir = getenv("XCSIM_FONT_DIR");
	char path[1024];
	int i;

	if (dir == NULL || dir[0] == '\0')
		dir = FONT_DIR;
	if (TTF_Init() < 0)
		return sim_err(err, errlen, "SDL_ttf: %s", TTF_GetError());
	d->ttf_init = true;
	for (i = 0; i < DF_MAX; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, font_specs[i].file);
		d->font[i] = TTF_OpenFont(path, font_specs[i].pt);
		if (d->font[i] == NULL)
			return sim_err(err, errlen,
			    "cannot open font %s (%s): apt-get install "
			    "fonts-dejavu-core", path, TTF_GetError());
		TTF_SetFontHinting(d->font[i], TTF_HINTING_LIGHT);
		d->font_h[i] = TTF_FontHeight(d->font[i]);
	}
	return 0;
}

void
draw_close_fonts(struct draw *d)
{
	int i;

	for (i = 0; i < DF_MAX; i++) {
		if (d->font[i] != NULL)
			TTF_CloseFont(d->font[i]);
		d->font[i] = NULL;
	}
	if (d->ttf_init)
		TTF_Quit();
	d->ttf_init = false;
}

void
draw_cache_clear(struct draw *d)
{
	size_t i;

	for (i = 0; i < TEXT_CACHE; i++) {
		if (d->cache[i].used && d->cache[i].tex != NULL)
			SDL_DestroyTexture(d->cache[i].tex);
		d->cache[i].used = false;
		d->cache[i].tex = NULL;
	}
	d->ncache = 0;
}

/* --- text --- */

static struct text_entry *
text_get(struct draw *d, enum draw_font f, struct draw_color c, const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i, len = strlen(s);
	struct text_entry *e;
	SDL_Surface *surf;
	SDL_Color sc = { c.r, c.g, c.b, c.a };
	const char *p;

	if (len >= TEXT_MAX || len == 0)
		return NULL;
	for (p = s; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ULL;
	h = (h ^ (uint64_t)f) * 0x100000001b3ULL;
	h = (h ^ ((uint64_t)c.r << 24 | (uint64_t)c.g << 16 |
	    (uint64_t)c.b << 8 | c.a)) * 0x100000001b3ULL;
	for (i = 0; i < TEXT_CACHE; i++) {
		e = &d->cache[(h + i) & (TEXT_CACHE - 1)];
		if (!e->used)
			break;
		if (e->font == f && memcmp(&e->c, &c, sizeof(c)) == 0 &&
		    strcmp(e->s, s) == 0)
			return e;
	}
	if (i == TEXT_CACHE || d->ncache >= TEXT_CACHE_FILL) {
		/*
		 * The cache is full for this frame (it is only emptied
		 * between frames): the text is still drawn, from a texture
		 * of its own that draw_text frees after use. Keeping the
		 * cache below TEXT_CACHE_FILL also keeps its probes short.
		 */
		e = &d->spill;
		if (e->tex != NULL)
			SDL_DestroyTexture(e->tex);
		e->tex = NULL;
		d->nspill++;
	}
	surf = TTF_RenderUTF8_Blended(d->font[f], s, sc);
	if (surf == NULL)
		return NULL;
	e->used = true;
	e->font = (uint8_t)f;
	e->c = c;
	memcpy(e->s, s, len + 1);
	e->w = surf->w;
	e->h = surf->h;
	e->tex = SDL_CreateTextureFromSurface(d->ren, surf);
	SDL_FreeSurface(surf);
	if (e->tex != NULL)
		SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_BLEND);
	if (e != &d->spill)
		d->ncache++;
	return e;
}

int
draw_text(struct draw *d, enum draw_font f, float x, float y,
    struct draw_color c, const char *s)
{
	struct text_entry *e;
	SDL_Rect dst;

	if (s == NULL || s[0] == '\0')
		return 0;
	e = text_get(d, f, c, s);
	if (e == NULL || e->tex == NULL)
		return 0;
	draw_flush(d);
	dst.x = (int)lroundf(x);
	dst.y = (int)lroundf(y);
	dst.w = e->w;
	dst.h = e->h;
	/* a text is fitted by its caller, never cut mid-glyph: count any */
	if (dst.x < d->clip.x || dst.y < d->clip.y ||
	    dst.x + dst.w > d->clip.x + d->clip.w ||
	    dst.y + dst.h > d->clip.y + d->clip.h) {
		d->ncut++;
		snprintf(d->cut_last, sizeof(d->cut_last), "%s", s);
	}
	SDL_RenderCopy(d->ren, e->tex, NULL, &dst);
	d->ntexts++;
	if (e == &d->spill) {
		SDL_DestroyTexture(e->tex);
		e->tex = NULL;
	}
	return e->w;
}

int
draw_text_width(struct draw *d, enum draw_font f, const char *s)
{
	int w = 0, h = 0;

	if (s == NULL || s[0] == '\0')
		return 0;
	if (TTF_SizeUTF8(d->font[f], s, &w, &h) < 0)
		return 0;
	return w;
}

int
draw_text_fit(struct draw *d, enum draw_font f, float x, float y, float max_w,
    struct draw_color c, const char *s)
{
	char buf[TEXT_MAX];
	size_t len;

	if (s == NULL)
		return 0;
	if ((float)draw_text_width(d, f, s) <= max_w)
		return draw_text(d, f, x, y, c, s);
	len = strlen(s);
	if (len > TEXT_MAX - 4)
		len = TEXT_MAX - 4;
	while (len > 0) {
		/* cut at a UTF-8 character boundary */
		len--;
		while (len > 0 && ((uint8_t)s[len] & 0xc0) == 0x80)
			len--;
		memcpy(buf, s, len);
		memcpy(buf + len, "\xe2\x80\xa6", 4);
		if ((float)draw_text_width(d, f, buf) <= max_w)
			return draw_text(d, f, x, y, c, buf);
	}
	return 0;
}

/*
 * The length of the first line of s within max_w: up to the last space
 * that fits, else as many whole characters as fit (at least one).
 */
static size_t
wrap_line(struct draw *d, enum draw_font f, const char *s, float max_w)
{
	char buf[TEXT_MAX];
	size_t len = strlen(s), cut, best_space = 0, i;

	if (len > TEXT_MAX - 1)
		len = TEXT_MAX - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if ((float)draw_text_width(d, f, buf) <= max_w)
		return len;
	/* the longest prefix that fits, at a character boundary */
	cut = len;
	while (cut > 0) {
		cut--;
		while (cut > 0 && ((uint8_t)s[cut] & 0xc0) == 0x80)
			cut--;
		buf[cut] = '\0';
		if ((float)draw_text_width(d, f, buf) <= max_w)
			break;
	}
	for (i = cut; i > 0; i--)
		if (s[i] == ' ') {
			best_space = i;
			break;
		}
	if (best_space > 0 && best_space + 1 >= cut / 3)
		return best_space;
	if (cut == 0) {
		/* not even one character fits: take one anyway */
		cut = 1;
		while (cut < len && ((uint8_t)s[cut] & 0xc0) == 0x80)
			cut++;
	}
	return cut;
}

static int
text_wrap(struct draw *d, enum draw_font f, float x, float y, float max_w,
    int max_lines, float line_h, struct draw_color c, const char *s,
    bool paint)
{
	char buf[TEXT_MAX];
	int lines = 0;

	if (s == NULL || s[0] == '\0')
		return 0;
	while (*s != '\0' && lines < max_lines) {
		size_t n;

		if (lines + 1 == max_lines) {
			if (paint)
				draw_text_fit(d, f, x, y, max_w, c, s);
			return lines + 1;
		}
		n = wrap_line(d, f, s, max_w);
		if (n > TEXT_MAX - 1)
			n = TEXT_MAX - 1;
		memcpy(buf, s, n);
		buf[n] = '\0';
		if (paint)
			draw_text(d, f, x, y, c, buf);
		lines++;
		y += line_h;
		s += n;
		while (*s == ' ')
			s++;
	}
	return lines;
}

int
draw_text_wrap(struct draw *d, enum draw_font f, float x, float y,
    float max_w, int max_lines, float line_h, struct draw_color c,
    const char *s)
{
	return text_wrap(d, f, x, y, max_w, max_lines, line_h, c, s, true);
}

int
draw_text_wrap_lines(struct draw *d, enum draw_font f, float max_w,
    int max_lines, const char *s)
{
	return text_wrap(d, f, 0, 0, max_w, max_lines, 0, draw_rgb(0), s,
	    false);
}

unsigned
draw_texts_drawn(const struct draw *d, unsigned *uncached)
{
	if (uncached != NULL)
		*uncached = d->nspill;
	return d->ntexts;
}

unsigned
draw_texts_cut(const struct draw *d, const char **last)
{
	if (last != NULL)
		*last = d->cut_last;
	return d->ncut;
}

int
draw_font_height(const struct draw *d, enum draw_font f)
{
	return d->font_h[f];
}

