#include "config.h"

#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sanitize.h"
#include "util.h"

static void	(*fatal_hook)(void);

void
set_fatal_hook(void (*fn)(void))
{
	fatal_hook = fn;
}

/*
 * Every message mhtop writes to stderr: "mhtop: ", the text, errno's words
 * when with_errno.  An option, a path, a config line or a command's output
 * may carry escapes: shown, not obeyed.
 */
static void
vmessage(int with_errno, int saved, const char *fmt, va_list ap)
{
	char	 msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fputs("mhtop: ", stderr);
	sanitize_put(stderr, msg);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(saved));
	fputc('\n', stderr);
}

void
warnmsg(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vmessage(0, 0, fmt, ap);
	va_end(ap);
}

static void __attribute__((noreturn))
vfatal(int with_errno, const char *fmt, va_list ap)
{
	int	 saved = errno;

	if (fatal_hook != NULL) {
		void	(*fn)(void) = fatal_hook;

		fatal_hook = NULL;
		fn();
	}
	vmessage(with_errno, saved, fmt, ap);
	exit(1);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vfatal(1, fmt, ap);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vfatal(0, fmt, ap);
}

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		fatal("malloc %zu", n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		fatal("calloc %zu x %zu", n, size);
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t size)
{
	void	*p;

	if (size != 0 && n > SIZE_MAX / size)
		fatalx("reallocarray: %zu x %zu overflows", n, size);
	if ((p = realloc(old, n * size == 0 ? 1 : n * size)) == NULL)
		fatal("realloc %zu x %zu", n, size);
	return p;
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("strdup");
	return p;
}

size_t
xstrlcpy(char *dst, const char *src, size_t size)
{
	size_t	 len = strlen(src);

	if (size > 0) {
		size_t	 n = len >= size ? size - 1 : len;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("asprintf");
	return n;
}

/*
 * Chunks double from ARENA_FIRST to ARENA_MAX: a rowset of ten rows takes
 * 16 KB, one of a million takes a few hundred chunks of 1 MB.  Those are
 * mapped with their pages faulted in at once: a million rows are 40,000
 * page faults one at a time, a tenth of their parse.
 */
#define ARENA_FIRST	(16 * 1024)
#define ARENA_MAX	(1024 * 1024)
#ifdef MAP_POPULATE
#define ARENA_MAP_FLAGS	MAP_POPULATE
#else
#define ARENA_MAP_FLAGS	0
#endif
/* AddressSanitizer sees overruns of malloc's blocks, not of mappings */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_MAP	0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_MAP	0
#endif
#endif
#ifndef ARENA_MAP
#define ARENA_MAP	1
#endif

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 len;		/* mapped: the whole size */
	max_align_t		 data[];
};

static void *
arena_get(struct arena *a, size_t n, size_t align)
{
	struct arena_chunk	*c;
	size_t			 want, at;
	void			*p;

	at = (a->used + align - 1) & ~(align - 1);
	if (a->head == NULL || at > a->size || a->size - at < n) {
		want = a->size == 0 ? ARENA_FIRST : a->size < ARENA_MAX ?
		    a->size * 2 : ARENA_MAX;
		if (want < n)
			want = n;
		if (ARENA_MAP && want >= ARENA_MAX) {
			p = mmap(NULL, sizeof(*c) + want, PROT_READ |
			    PROT_WRITE, MAP_PRIVATE | MAP_ANON |
			    ARENA_MAP_FLAGS, -1, 0);
			if (p == MAP_FAILED)
				fatal("mmap");
			c = p;
			c->len = sizeof(*c) + want;
		} else {
			c = xmalloc(sizeof(*c) + want);
			c->len = 0;
		}
		c->next = a->head;
		a->head = c;
		a->size = want;
		at = 0;
	}
	p = (char *)a->head->data + at;
	a->used = at + n;
	a->total += n;
	return p;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	/* rows: pointers and 64-bit integers, nothing wider */
	return arena_get(a, n, _Alignof(int64_t) > _Alignof(void *) ?
	    _Alignof(int64_t) : _Alignof(void *));
}

/* Room for a string of len bytes and its NUL, unaligned. */
char *
arena_strspace(struct arena *a, size_t len)
{
	return arena_get(a, len + 1, 1);
}

/* Strings need no alignment: packing them saves a third of a row's memory. */
char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char	*p = arena_get(a, len + 1, 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk	*c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (c->len > 0)
			munmap(c, c->len);
		else
			free(c);
	}
	memset(a, 0, sizeof(*a));
}

/*
 * Take src's chunks, and its bytes, into dst (src is left empty): what
 * was allocated in either stays until dst is freed.  New allocations go
 * on in dst's own chunks.
 */
void
arena_adopt(struct arena *dst, struct arena *src)
{
	struct arena_chunk	*tail;

	if (src->head == NULL)
		return;
	if (dst->head == NULL) {
		*dst = *src;
		memset(src, 0, sizeof(*src));
		return;
	}
	for (tail = dst->head; tail->next != NULL; tail = tail->next)
		;
	tail->next = src->head;
	dst->total += src->total;
	memset(src, 0, sizeof(*src));
}

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIP_ROUND() do {						\
	v0 += v1; v1 = ROTL(v1, 13) ^ v0; v0 = ROTL(v0, 32);		\
	v2 += v3; v3 = ROTL(v3, 16) ^ v2;				\
	v0 += v3; v3 = ROTL(v3, 21) ^ v0;				\
	v2 += v1; v1 = ROTL(v1, 17) ^ v2; v2 = ROTL(v2, 32);		\
} while (0)

/* 8 bytes, little-endian: one load where the compiler sees it is one. */
static inline uint64_t
le64_full(const unsigned char *s)
{
	return (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 |
	    (uint64_t)s[3] << 24 | (uint64_t)s[4] << 32 |
	    (uint64_t)s[5] << 40 | (uint64_t)s[6] << 48 |
	    (uint64_t)s[7] << 56;
}

uint64_t
siphash(const uint64_t key[2], const void *p, size_t len, int crounds,
    int drounds)
{
	const unsigned char	*s = p, *end = s + (len & ~(size_t)7);
	uint64_t		 v0, v1, v2, v3, m;
	size_t			 left = len & 7;
	int			 i;

	v0 = key[0] ^ 0x736f6d6570736575ULL;
	v1 = key[1] ^ 0x646f72616e646f6dULL;
	v2 = key[0] ^ 0x6c7967656e657261ULL;
	v3 = key[1] ^ 0x7465646279746573ULL;
	for (; s < end; s += 8) {
		m = le64_full(s);
		v3 ^= m;
		for (i = 0; i < crounds; i++)
			SIP_ROUND();
		v0 ^= m;
	}
	m = (uint64_t)(len & 0xff) << 56;
	while (left-- > 0)
		m |= (uint64_t)s[left] << (8 * left);
	v3 ^= m;
	for (i = 0; i < crounds; i++)
		SIP_ROUND();
	v0 ^= m;
	v2 ^= 0xff;
	for (i = 0; i < drounds; i++)
		SIP_ROUND();
	return v0 ^ v1 ^ v2 ^ v3;
}

static uint64_t	 hash_key[2];
static int	 hash_keyed;

static void
hash_key_init(void)
{
#if defined(HAVE_ARC4RANDOM_BUF)
	arc4random_buf(hash_key, sizeof(hash_key));
#elif defined(HAVE_GETENTROPY)
	if (getentropy(hash_key, sizeof(hash_key)) == -1)
		fatal("getentropy");
#else
#error "no arc4random_buf or getentropy: the hash tables need a random key"
#endif
	hash_keyed = 1;
}

/*
 * SipHash-1-3 under a key drawn once per process: whoever writes what the
 * tables hold (a client's HELO, a subject) cannot choose strings that share
 * a bucket, as they could with a fixed hash.
 */
uint64_t
hash_mem(const void *p, size_t len)
{
	if (!hash_keyed)
		hash_key_init();
	return siphash(hash_key, p, len, 1, 3);
}

/* Two digits a step: a million rows of -b print many numbers. */
char *
put_int64(char *o, int64_t v)
{
	static const char	 pairs[] =
	    "00010203040506070809101112131415161718192021222324252627282930"
	    "31323334353637383940414243444546474849505152535455565758596061"
	    "62636465666768697071727374757677787980818283848586878889909192"
	    "93949596979899";
	char			 tmp[24], *t = tmp + sizeof(tmp);
	uint64_t		 u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	size_t			 n;

	while (u >= 100) {
		t -= 2;
		memcpy(t, pairs + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) {
		t -= 2;
		memcpy(t, pairs + 2 * u, 2);
	} else
		*--t = (char)('0' + u);
	if (v < 0)
		*o++ = '-';
	n = (size_t)(tmp + sizeof(tmp) - t);
	memcpy(o, t, n);
	return o + n;
}

size_t
fmt_duration(int64_t s, char *buf, size_t len)
{
	const char	*sign = "";
	int		 n;

	if (s < 0) {
		sign = "-";
		s = s == INT64_MIN ? INT64_MAX : -s;
	}
	if (s < 60)
		n = snprintf(buf, len, "%s%llds", sign, (long long)s);
	else if (s < 3600)
		n = snprintf(buf, len, "%s%lldm%02llds", sign,
		    (long long)(s / 60), (long long)(s % 60));
	else if (s < 86400)
		n = snprintf(buf, len, "%s%lldh%02lldm", sign,
		    (long long)(s / 3600), (long long)(s % 3600 / 60));
	else
		n = snprintf(buf, len, "%s%lldd%02lldh", sign,
		    (long long)(s / 86400), (long long)(s % 86400 / 3600));
	if (n < 0)
		n = 0;
	return (size_t)n >= len ? (len ? len - 1 : 0) : (size_t)n;
}

size_t
fmt_clock(int64_t t, time_t now, char *buf, size_t len)
{
	struct tm	 tm, tn;
	time_t		 tt = (time_t)t;
	size_t		 n;

	if (len == 0)
		return 0;
	if (localtime_r(&tt, &tm) == NULL || localtime_r(&now, &tn) == NULL) {
		buf[0] = '\0';
		return 0;
	}
	if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
		n = strftime(buf, len, "%H:%M", &tm);
	else if (tm.tm_year == tn.tm_year)
		n = strftime(buf, len, "%b %e %H:%M", &tm);
	else
		n = strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	if (n == 0)
		buf[0] = '\0';
	return n;
}

#define ARROW	"\xe2\x86\x92"

const char *
glyph_arrow(void)
{
	/* OpenBSD's default locale is C: there "→" would be 3 escaped bytes */
	return MB_CUR_MAX > 1 ? ARROW : "->";
}

void
glyph_text(const char *s, char *buf, size_t len)
{
	const char	*a;
	size_t		 n = 0, k;

	while (len > 0 && (a = strstr(s, ARROW)) != NULL && n < len) {
		k = (size_t)(a - s);
		if (k > len - n - 1)
			k = len - n - 1;
		memcpy(buf + n, s, k);
		n += k;
		n += (size_t)snprintf(buf + n, len - n, "%s", glyph_arrow());
		if (n >= len)
			n = len - 1;
		s = a + strlen(ARROW);
	}
	if (len > 0)
		snprintf(buf + n, len - n, "%s", s);
}

/* Numbers as a row of Unicode blocks, or of ASCII outside UTF-8. */
void
sparkline(const size_t *v, size_t nv, char *buf, size_t len)
{
	static const char *const blocks[] = { "\xe2\x96\x81", "\xe2\x96\x82",
	    "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
	    "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char ascii[] = "_.-:=+*#";
	size_t		 i, max = 1, k, n = 0;

	buf[0] = '\0';
	for (i = 0; i < nv; i++)
		if (v[i] > max)
			max = v[i];
	for (i = 0; i < nv; i++) {
		k = v[i] == 0 ? 0 : 1 + (v[i] - 1) * 7 / max;
		if (k > 7)
			k = 7;
		if (MB_CUR_MAX > 1) {
			if (n + 4 >= len)
				break;
			memcpy(buf + n, blocks[k], 3);
			n += 3;
		} else {
			if (n + 2 >= len)
				break;
			buf[n++] = ascii[k];
		}
		buf[n] = '\0';
	}
}

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
base64_digit(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}
