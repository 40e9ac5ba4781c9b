/*
 * Quarantine file names, as amavisd-new makes them ($spam_quarantine_to
 * "spam-%m.gz" and the like) and logs them ("quarantine: S/spam-X.gz"),
 * and the check before one of them reaches amavisd-release's argv.
 */
#include "config.h"

#include <string.h>

#include "quarantine.h"

static int
is_alnum(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9');
}

int
quar_qpath_ok(const char *qpath)
{
	const char	*p, *slash = NULL;

	if (!is_alnum((unsigned char)qpath[0]))
		return 0;
	for (p = qpath; *p != '\0'; p++) {
		if (p - qpath >= QUAR_QPATH_MAX - 1)
			return 0;
		if (*p == '/') {
			if (slash != NULL)
				return 0;
			slash = p;
		} else if (!is_alnum((unsigned char)*p) && *p != '.' &&
		    *p != '_' && *p != '+' && *p != '-')
			return 0;
	}
	if (strstr(qpath, "..") != NULL)
		return 0;
	if (slash != NULL && (slash[1] == '\0' || strcmp(slash + 1, ".") == 0))
		return 0;
	return 1;
}

/* amavis' mail_id is base64 with '-' and '_' for '+' and '/'. */
static int
is_id_char(int c)
{
	return is_alnum(c) || c == '-' || c == '_' || c == '+';
}

int
quar_name_parse(const char *qpath, struct quar_name *qn)
{
	static const struct {
		const char	*name;
		enum quar_type	 kind;
	} kinds[] = {
		{ "spam", QT_SPAM }, { "virus", QT_VIRUS },
		{ "banned", QT_BANNED }, { "badh", QT_BADH },
	};
	const char	*base, *dash, *end, *p;
	size_t		 len, i;

	memset(qn, 0, sizeof(*qn));
	if (!quar_qpath_ok(qpath))
		return -1;
	if ((base = strchr(qpath, '/')) != NULL) {
		qn->hashed = 1;
		base++;
	} else
		base = qpath;
	len = strlen(base);
	end = base + len;
	if (len > 3 && strcmp(end - 3, ".gz") == 0) {
		qn->gz = 1;
		end -= 3;
	}

	/* the type has no '-' of its own: the mail_id may ("h9_I9GR6G--k") */
	if ((dash = memchr(base, '-', (size_t)(end - base))) == NULL ||
	    dash == base || dash + 1 == end)
		return -1;
	if ((size_t)(dash - base) >= QUAR_TYPE_MAX ||
	    (size_t)(end - dash - 1) >= QUAR_ID_MAX)
		return -1;
	for (p = base; p < dash; p++)
		if (!is_alnum((unsigned char)*p) && *p != '_')
			return -1;
	for (p = dash + 1; p < end; p++)
		if (!is_id_char((unsigned char)*p))
			return -1;

	memcpy(qn->qpath, qpath, strlen(qpath));
	memcpy(qn->type, base, (size_t)(dash - base));
	memcpy(qn->mail_id, dash + 1, (size_t)(end - dash - 1));
	qn->kind = QT_OTHER;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(qn->type, kinds[i].name) == 0)
			qn->kind = kinds[i].kind;
	return 0;
}

const char *
quar_type_label(enum quar_type t)
{
	switch (t) {
	case QT_SPAM:
		return "spam";
	case QT_VIRUS:
		return "virus";
	case QT_BANNED:
		return "banned";
	case QT_BADH:
		return "bad header";
	default:
		return "other";
	}
}
