/*
 * The health line: its configuration, each check against the real thing
 * (a pid file of a live and of a dead process, a listening and a dead
 * socket, a port, the process table) and the items it makes.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "health.h"
#include "queuestats.h"
#include "unit.h"

static char	 dir[] = "/tmp/mhtop-health.XXXXXX";

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char	 cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

static void
write_file(const char *path, const char *text)
{
	FILE	*fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

START_TEST(test_conf_lines)
{
	struct health_conf	 hc;
	char			 err[256];

	health_conf_init(&hc);
	ck_assert_int_eq(hc.silence, 600);
	ck_assert_int_eq(hc.free_min, 1LL << 30);
	ck_assert_int_eq(health_conf_line(&hc, "amavisd pidfile "
	    "/var/run/amavis/amavisd.pid", err, sizeof(err)), 0);
	ck_assert_int_eq(hc.svc[HS_AMAVISD].how, HOW_PIDFILE);
	ck_assert_str_eq(hc.svc[HS_AMAVISD].arg, "/var/run/amavis/amavisd.pid");
	ck_assert_int_eq(health_conf_line(&hc, "amavisd  port 127.0.0.1\t10024",
	    err, sizeof(err)), 0);
	ck_assert_int_eq(hc.svc[HS_AMAVISD].how, HOW_PORT);
	ck_assert_str_eq(hc.svc[HS_AMAVISD].arg, "127.0.0.1");
	ck_assert_str_eq(hc.svc[HS_AMAVISD].port, "10024");
	ck_assert_int_eq(health_conf_line(&hc, "smtpd socket /run/smtpd.sock",
	    err, sizeof(err)), 0);
	ck_assert_int_eq(hc.svc[HS_SMTPD].how, HOW_SOCKET);
	ck_assert_int_eq(health_conf_line(&hc, "spamd process spamd", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(hc.svc[HS_SPAMD].how, HOW_PROCESS);
	ck_assert_int_eq(health_conf_line(&hc, "spamd none", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(hc.svc[HS_SPAMD].how, HOW_NONE);
	ck_assert_ptr_null(hc.svc[HS_SPAMD].arg);
	ck_assert_int_eq(health_conf_line(&hc, "maillog 15m", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(hc.silence, 900);
	ck_assert_int_eq(health_conf_line(&hc, "quarantine 500M", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(hc.free_min, 500LL << 20);
	ck_assert_int_eq(health_conf_line(&hc, "quarantine none", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(hc.free_min, -1);

	ck_assert_int_eq(health_conf_line(&hc, "amavisd pidfile relative.pid",
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "amavisd: not pidfile PATH, socket PATH, "
	    "process NAME, port ADDRESS PORT or none: pidfile relative.pid");
	ck_assert_int_eq(health_conf_line(&hc, "amavisd port 127.0.0.1 0",
	    err, sizeof(err)), -1);
	ck_assert_int_eq(health_conf_line(&hc, "amavisd port 127.0.0.1 smtp",
	    err, sizeof(err)), -1);
	ck_assert_int_eq(health_conf_line(&hc, "amavisd port 127.0.0.1 25 x",
	    err, sizeof(err)), -1);
	ck_assert_int_eq(health_conf_line(&hc, "spamd process a/b", err,
	    sizeof(err)), -1);
	ck_assert_int_eq(health_conf_line(&hc, "postfix pidfile /x", err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "no such service: postfix (smtpd, spamd, "
	    "amavisd, maillog, quarantine)");
	ck_assert_int_eq(health_conf_line(&hc, "maillog soon", err,
	    sizeof(err)), -1);
	ck_assert_int_eq(health_conf_line(&hc, "quarantine 5%", err,
	    sizeof(err)), -1);
	ck_assert_int_eq(health_conf_line(&hc, "smtpd", err, sizeof(err)), -1);
	/* what is set stays: the defaults fill only the rest */
	health_conf_defaults(&hc);
	ck_assert_int_eq(hc.svc[HS_AMAVISD].how, HOW_PORT);
	ck_assert_int_eq(hc.svc[HS_SPAMD].how, HOW_NONE);
	ck_assert_int_eq(hc.svc[HS_SMTPD].how, HOW_SOCKET);
	health_conf_free(&hc);

	health_conf_init(&hc);
	health_conf_defaults(&hc);
	ck_assert_int_eq(hc.svc[HS_SMTPD].how, HOW_SOCKET);
	ck_assert_str_eq(hc.svc[HS_SMTPD].arg, "/var/run/smtpd.sock");
	ck_assert_int_eq(hc.svc[HS_AMAVISD].how, HOW_PIDFILE);
	health_conf_free(&hc);
}
END_TEST

START_TEST(test_sizes)
{
	char	 buf[16];

	ck_assert_int_eq(health_parse_size("0"), 0);
	ck_assert_int_eq(health_parse_size("2G"), 2LL << 30);
	ck_assert_int_eq(health_parse_size("10k"), 10240);
	ck_assert_int_eq(health_parse_size("1T"), 1LL << 40);
	ck_assert_int_eq(health_parse_size("-1"), -1);
	ck_assert_int_eq(health_parse_size("1GB"), -1);
	ck_assert_int_eq(health_parse_size("G"), -1);
	ck_assert_int_eq(health_parse_size("99999999999999999999"), -1);
	health_fmt_size(999, buf, sizeof(buf));
	ck_assert_str_eq(buf, "999B");
	health_fmt_size(1536, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1.5K");
	health_fmt_size(20LL << 30, buf, sizeof(buf));
	ck_assert_str_eq(buf, "20G");
	health_fmt_size(300LL << 20, buf, sizeof(buf));
	ck_assert_str_eq(buf, "300M");
}
END_TEST

START_TEST(test_pidfile)
{
	char	 path[128], text[32], why[128];
	pid_t	 pid;

	snprintf(path, sizeof(path), "%s/amavisd.pid", dir);
	/* a daemon removes its pid file when it stops */
	ck_assert_int_eq(health_pidfile(path, why, sizeof(why)), HEALTH_DOWN);
	ck_assert_str_eq(why + strlen(why) - 12, "/amavisd.pid");
	ck_assert_int_eq(strncmp(why, "no /tmp/", 8), 0);
	/* a directory that is not there: the path is wrong, not the daemon */
	ck_assert_int_eq(health_pidfile("/nonexistent-mhtop/a.pid", why,
	    sizeof(why)), HEALTH_UNKNOWN);
	ck_assert_str_eq(why, "no directory for /nonexistent-mhtop/a.pid");

	snprintf(text, sizeof(text), "%ld\n", (long)getpid());
	write_file(path, text);
	ck_assert_int_eq(health_pidfile(path, why, sizeof(why)), HEALTH_UP);
	snprintf(text, sizeof(text), "pid %ld", (long)getpid());
	ck_assert_str_eq(why, text);

	/* a stale pid file: its process is gone */
	if ((pid = fork()) == 0)
		_exit(0);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	snprintf(text, sizeof(text), "%ld\n", (long)pid);
	write_file(path, text);
	ck_assert_int_eq(health_pidfile(path, why, sizeof(why)), HEALTH_DOWN);
	snprintf(text, sizeof(text), "pid %ld gone", (long)pid);
	ck_assert_str_eq(why, text);

	write_file(path, "");
	ck_assert_int_eq(health_pidfile(path, why, sizeof(why)),
	    HEALTH_UNKNOWN);
	write_file(path, "\033[2J\n");
	ck_assert_int_eq(health_pidfile(path, why, sizeof(why)),
	    HEALTH_UNKNOWN);
	write_file(path, "1\n");	/* init is no daemon of ours */
	ck_assert_int_eq(health_pidfile(path, why, sizeof(why)),
	    HEALTH_UNKNOWN);
	write_file(path, "12x\n");
	ck_assert_int_eq(health_pidfile(path, why, sizeof(why)),
	    HEALTH_UNKNOWN);
}
END_TEST

START_TEST(test_socket)
{
	struct sockaddr_un	 sun;
	char			 why[256];
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/smtpd.sock", dir);
	ck_assert_int_eq(health_socket(sun.sun_path, why, sizeof(why)),
	    HEALTH_DOWN);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(listen(fd, 5), 0);
	ck_assert_int_eq(health_socket(sun.sun_path, why, sizeof(why)),
	    HEALTH_UP);
	ck_assert_str_eq(why + strlen(why) - 19, "/smtpd.sock answers");
	/* the daemon died and left its socket behind */
	close(fd);
	ck_assert_int_eq(health_socket(sun.sun_path, why, sizeof(why)),
	    HEALTH_DOWN);
	ck_assert_str_eq(why + strlen(why) - 19, "/smtpd.sock refuses");
	ck_assert_int_eq(health_socket("/nonexistent-mhtop/smtpd.sock", why,
	    sizeof(why)), HEALTH_UNKNOWN);
}
END_TEST

START_TEST(test_process)
{
#ifdef __linux__
	char	 comm[32], why[128];
	FILE	*fp = fopen("/proc/self/comm", "r");

	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(comm, sizeof(comm), fp));
	fclose(fp);
	comm[strcspn(comm, "\n")] = '\0';
	ck_assert_int_eq(health_process(comm, why, sizeof(why)), HEALTH_UP);
	ck_assert_int_eq(health_process("mhtop-no-such", why, sizeof(why)),
	    HEALTH_DOWN);
	ck_assert_str_eq(why, "no mhtop-no-such process");
#endif
}
END_TEST

static int	changed;

static void
on_changed(void *arg)
{
	(void)arg;
	changed++;
}

static const struct health_item *
item(struct health *h, const char *prefix)
{
	const struct health_item	*it;
	size_t				 i, n;

	it = health_items(h, time(NULL), &n);
	for (i = 0; i < n; i++)
		if (strncmp(it[i].text, prefix, strlen(prefix)) == 0)
			return &it[i];
	return NULL;
}

/* A port that answers, one that refuses: through the event loop. */
START_TEST(test_port)
{
	struct event_base		*base = event_base_new();
	struct health_conf		 hc;
	struct health			*h;
	const struct health_item	*it;
	struct sockaddr_in		 sin;
	socklen_t			 sl = sizeof(sin);
	char				 err[128], line[128];
	int				 fd, dead;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(fd, 5), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	/* a port bound but not listening refuses, and stays ours */
	dead = socket(AF_INET, SOCK_STREAM, 0);
	sin.sin_port = 0;
	ck_assert_int_eq(bind(dead, (struct sockaddr *)&sin, sizeof(sin)), 0);
	sl = sizeof(sin);
	ck_assert_int_eq(getsockname(dead, (struct sockaddr *)&sin, &sl), 0);

	health_conf_init(&hc);
	hc.silence = hc.free_min = -1;
	sl = sizeof(sin);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	snprintf(line, sizeof(line), "amavisd port 127.0.0.1 %u",
	    ntohs(sin.sin_port));
	ck_assert_int_eq(health_conf_line(&hc, line, err, sizeof(err)), 0);
	sl = sizeof(sin);
	ck_assert_int_eq(getsockname(dead, (struct sockaddr *)&sin, &sl), 0);
	snprintf(line, sizeof(line), "smtpd port ::ffff:127.0.0.1 %u",
	    ntohs(sin.sin_port));
	ck_assert_int_eq(health_conf_line(&hc, line, err, sizeof(err)), 0);
	ck_assert_int_eq(health_conf_line(&hc, "spamd port localhost 25", err,
	    sizeof(err)), 0);
	changed = 0;
	h = health_new(base, &hc, NULL, NULL, on_changed, NULL);
	while (item(h, "amavisd ?") != NULL || item(h, "smtpd ?") != NULL)
		ck_assert_int_ne(event_base_loop(base, EVLOOP_ONCE), -1);
	ck_assert_ptr_nonnull((it = item(h, "amavisd up")));
	ck_assert_int_eq(it->bold, 0);
	ck_assert_ptr_nonnull((it = item(h, "smtpd DOWN: ::ffff:127.0.0.1 ")));
	ck_assert_int_eq(it->bold, 1);
	ck_assert_str_eq(it->text + strlen(it->text) - 8, " refuses");
	/* a name would need DNS: not a check mhtop makes */
	ck_assert_ptr_nonnull((it = item(h, "spamd ?: localhost: not an IP")));
	health_free(h);
	health_conf_free(&hc);
	close(fd);
	close(dead);
	event_base_free(base);
}
END_TEST

START_TEST(test_items)
{
	struct health_conf		 hc;
	struct health			*h;
	const struct health_item	*it;
	struct timeval			 tv[2];
	char				 log[128], pid[128], line[200], err[128];
	time_t				 now = time(NULL);
	size_t				 n;

	snprintf(log, sizeof(log), "%s/maillog", dir);
	write_file(log, "x\n");
	tv[0].tv_sec = tv[1].tv_sec = now - 1000;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	ck_assert_int_eq(utimes(log, tv), 0);
	snprintf(pid, sizeof(pid), "%s/smtpd.pid", dir);
	snprintf(line, sizeof(line), "%ld\n", (long)getpid());
	write_file(pid, line);

	health_conf_init(&hc);
	snprintf(line, sizeof(line), "smtpd pidfile %s", pid);
	ck_assert_int_eq(health_conf_line(&hc, line, err, sizeof(err)), 0);
	snprintf(line, sizeof(line), "amavisd pidfile %s/amavisd.pid", dir);
	ck_assert_int_eq(health_conf_line(&hc, line, err, sizeof(err)), 0);
	/* spamd not configured and no default asked for: not shown */
	h = health_new(NULL, &hc, log, dir, NULL, NULL);
	it = health_items(h, now, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(it[0].text, "smtpd up");
	ck_assert_int_eq(it[0].state, HEALTH_UP);
	snprintf(line, sizeof(line), "amavisd DOWN: no %s/amavisd.pid", dir);
	ck_assert_str_eq(it[1].text, line);
	ck_assert_int_eq(it[1].bold, 1);
	/* quiet, but nothing says smtpd worked since: no alarm */
	ck_assert_str_eq(it[2].text, "maillog 16m40s old");
	ck_assert_int_eq(it[2].bold, 0);
	ck_assert_int_eq(strncmp(it[3].text, "quarantine ", 11), 0);
	ck_assert_str_eq(it[3].text + strlen(it[3].text) - 5, " free");

	/* the queue pane saw smtpd deliver after the log's last line */
	health_note(h, HS_SMTPD, "MTA PAUSED", 1, now - 100);
	it = health_items(h, now, &n);
	ck_assert_str_eq(it[0].text, "smtpd up, MTA PAUSED");
	ck_assert_int_eq(it[0].bold, 1);
	ck_assert_str_eq(it[2].text, "maillog SILENT for 16m40s while smtpd "
	    "worked");
	ck_assert_int_eq(it[2].state, HEALTH_DOWN);
	ck_assert_int_eq(it[2].bold, 1);
	/* within syslogd's slack of the last line: no alarm */
	health_free(h);
	h = health_new(NULL, &hc, log, dir, NULL, NULL);
	health_note(h, HS_SMTPD, "", 0, now - 1000 + 30);
	it = health_items(h, now, &n);
	ck_assert_str_eq(it[2].text, "maillog 16m40s old");
	health_free(h);

	hc.free_min = 1LL << 52;
	h = health_new(NULL, &hc, "/nonexistent-mhtop/maillog", dir, NULL,
	    NULL);
	it = health_items(h, now, &n);
	ck_assert_str_eq(it[2].text, "maillog ?: /nonexistent-mhtop/maillog: "
	    "No such file or directory");
	ck_assert_int_eq(it[2].bold, 0);
	ck_assert_int_eq(strncmp(it[3].text, "quarantine LOW: ", 16), 0);
	ck_assert_str_eq(it[3].text + strlen(it[3].text) - 11, " (under 4P)");
	ck_assert_int_eq(it[3].bold, 1);
	health_free(h);

	hc.silence = -1;
	hc.free_min = -1;
	h = health_new(NULL, &hc, log, dir, NULL, NULL);
	health_items(h, now, &n);
	ck_assert_uint_eq(n, 2);
	health_free(h);
	health_conf_free(&hc);
}
END_TEST

/* smtpd at work: its delivery counters moved between two reads. */
START_TEST(test_worked)
{
	struct qstats	 q;
	const char	*a[] = { "scheduler.delivery.ok=5", "uptime=100" };
	const char	*b[] = { "scheduler.delivery.ok=5", "uptime=110" };
	const char	*c[] = { "scheduler.delivery.tempfail=1",
			    "scheduler.delivery.ok=5", "uptime=120" };
	const char	*const *reads[] = { a, b, c };
	time_t		 t0 = 1795550400;
	size_t		 i, j;

	memset(&q, 0, sizeof(q));
	for (i = 0; i < 3; i++) {
		qstats_begin(&q);
		for (j = 0; j < (i == 2 ? 3u : 2u); j++)
			qstats_line(&q, reads[i][j], strlen(reads[i][j]));
		qstats_done(&q, 0, "", "smtpctl");
		qstats_finish(&q, t0 + 10 * (time_t)i);
		ck_assert_int_eq(q.worked, i < 2 ? 0 : t0 + 10);
	}
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("health");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_conf_lines);
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_pidfile);
	tcase_add_test(tc, test_socket);
	tcase_add_test(tc, test_process);
	tcase_add_test(tc, test_port);
	tcase_add_test(tc, test_items);
	tcase_add_test(tc, test_worked);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
