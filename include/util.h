/* Small helpers shared by every module: allocation that cannot fail and fatal errors. */
#ifndef MHTOP_UTIL_H
#define MHTOP_UTIL_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <time.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
size_t	 xstrlcpy(char *, const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Called by fatal()/fatalx() before exiting: restores the terminal, kills children. */
void	 set_fatal_hook(void (*)(void));
void	 fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	 fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/* "mhtop: " and the message on stderr, through the sanitizer, as fatal's. */
void	 warnmsg(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

/* A bump allocator: many small objects freed together. */
struct arena_chunk;
struct arena {
	struct arena_chunk	*head;
	size_t			 used;		/* bytes in the head chunk */
	size_t			 size;		/* size of the head chunk */
	size_t			 total;		/* bytes handed out */
};
void	*arena_alloc(struct arena *, size_t);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_strspace(struct arena *, size_t);
void	 arena_free(struct arena *);
void	 arena_adopt(struct arena *, struct arena *);

/* The hash of every table here: keyed per process, see util.c. */
uint64_t hash_mem(const void *, size_t);
/* SipHash-c-d of len bytes under a 128-bit key. */
uint64_t siphash(const uint64_t [2], const void *, size_t, int, int);
/* A digit's value, or -1: hexadecimal (either case), base64's alphabet. */
int	 hex_digit(int);
int	 base64_digit(int);

/* v in decimal at o, no NUL, at most PUT_INT64_MAX bytes; returns the end. */
#define PUT_INT64_MAX	20
char	*put_int64(char *, int64_t);

/* Human durations: "45s", "3m12s", "3h12m", "2d04h". */
size_t	fmt_duration(int64_t, char *, size_t);
/* A time of day in local time ("10:42"), with the date when not today. */
size_t	fmt_clock(int64_t, time_t, char *, size_t);

/* The UI's own arrow: "→" in a UTF-8 locale, "->" in the C locale. */
const char *glyph_arrow(void);
/* title with every "→" of ours made glyph_arrow(), into buf. */
void	 glyph_text(const char *, char *, size_t);

/* Numbers as a row of Unicode blocks, or of ASCII outside UTF-8. */
void	 sparkline(const size_t *, size_t, char *, size_t);

#endif
