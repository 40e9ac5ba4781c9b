/*
 * The shape of the queue, as Postfix's qshape(1) draws it: envelopes by
 * domain in doubling age buckets, and by their error with what varies
 * between envelopes (ids, addresses, numbers, IPs) taken out.  No rows,
 * no screen: the queue pane's views (queue_shape.c) are built on it.
 */
#ifndef MHTOP_QSHAPE_H
#define MHTOP_QSHAPE_H

#include <stddef.h>
#include <stdint.h>

/* <=5m, 10m, 20m, 40m, 80m, 160m, 320m, 640m, 1280m, older */
#define QSHAPE_BUCKETS	10

extern const char *const qshape_bucket_names[QSHAPE_BUCKETS];

/* The bucket of an envelope queued age seconds ago (a negative age: 0). */
int	 qshape_bucket(int64_t);
/*
 * The domain of an address (after the last '@'), lower case, without a
 * final dot or the brackets of an address literal; "" for the null
 * sender or an address without a domain.  Writes at most len - 1 bytes;
 * returns the domain's length (len or more: cut).
 */
size_t	 qshape_domain(const char *, char *, size_t);
/*
 * The domain a roll-up counts it under: its organisational domain, the
 * last two labels (mail.example.com: example.com), three under a
 * two-letter country code whose second level is a generic one
 * (mx.shop.co.uk: shop.co.uk).  An address literal or a single label
 * stays itself.  Returns a pointer into the domain.
 */
const char *qshape_parent(const char *);
/*
 * An error text with its variable parts replaced, so that the same error
 * from many envelopes reads the same: addresses as <ADDR>, IPs as IP
 * ([IP] when bracketed), words with digits in them (ids) as ID and
 * numbers as N; the leading SMTP code and enhanced status code stay.
 * Blanks are squeezed.  Writes at most len - 1 bytes, NUL-terminated.
 */
size_t	 qshape_error(const char *, char *, size_t);

#endif
