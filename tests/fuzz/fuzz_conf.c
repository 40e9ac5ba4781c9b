/* libFuzzer: mhtop.conf contents through conf_load.  Built by run.sh. */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	path[4096];

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

static void
cleanup(void)
{
	unlink(path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char	*t = getenv("TMPDIR");
	int		 fd;

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "%s/fuzz_conf.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if ((fd = mkstemp(path)) == -1)
		abort();
	close(fd);
	atexit(cleanup);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	 c;
	char		 err[256];
	FILE		*fp;
	int		 r, required;

	if ((fp = fopen(path, "w")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	if (fclose(fp) != 0)
		abort();

	required = size > 0 && (data[0] & 1);
	conf_defaults(&c);
	err[0] = '\0';
	r = conf_load(&c, path, required, err, sizeof(err));
	if (r == 0) {
		CHECK(c.smtpctl != NULL && c.smtpctl[0] == '/');
		CHECK(c.doas == NULL || c.doas[0] == '/');
		CHECK(c.interval >= 0.1 && c.interval <= 86400);
		CHECK(strchr(c.smtpctl, '\n') == NULL);
		CHECK(c.doas == NULL || strchr(c.doas, '\n') == NULL);
	} else {
		CHECK(r == -1);
		CHECK(strncmp(err, path, strlen(path)) == 0);
		CHECK(strnlen(err, sizeof(err)) < sizeof(err));
	}
	conf_free(&c);
	return 0;
}
