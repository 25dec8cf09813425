/*
 * cmd_viz.c - "xcsim viz" (replay a trace) and "xcsim plot" (chart
 * metrics): option parsing over viz/viz.h and viz/plot.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#ifdef XCSIM_HAVE_VIZ
#include "plot.h"
#include "units.h"
#include "util.h"
#include "viz.h"

static const char viz_usage[] =
    "usage: xcsim viz TRACE [--select NODE] [--flow ID] [--bgp NODE]\n"
    "       xcsim viz TRACE --png FILE --at TIME [--size WxH] [--select NODE]\n"
    "                 [--flow ID] [--bgp NODE]\n"
    "       xcsim viz TRACE --frames DIR --from T1 --to T2 [--fps N]\n"
    "                 [--speed X] [--size WxH] [--select NODE] [--flow ID]\n"
    "                 [--bgp NODE]\n"
    "\n"
    "Replays a trace (.xct) written by xcsim run: in a window, or headless\n"
    "to one PNG (--png) or a numbered sequence (--frames DIR writes\n"
    "DIR/frame-00000.png ...). Times take units: 250ns, 1.5ms, 2s, 5m.\n"
    "\n"
    "  --png FILE      render one frame at --at TIME to FILE\n"
    "  --frames DIR    render frames from --from to --to into DIR\n"
    "  --fps N         frames per second of video (default 30)\n"
    "  --speed X       simulated seconds per second of video (default: the\n"
    "                  span spread over 10 s of video)\n"
    "  --size WxH      frame size in pixels (default 1280x720)\n"
    "  --select NODE   show NODE's routes, sessions and flows in the side panel\n"
    "  --flow ID       show flow ID's connection state and congestion window\n"
    "                  (a TCP connection's id, as xcsim trace dump gives it)\n"
    "  --bgp NODE      show NODE's BGP neighbours and Loc-RIB (key b)\n"
    "\n"
    "In the window, press ? for the keys.\n";

static const char plot_usage[] =
    "usage: xcsim plot METRICS.csv... --png FILE [--size WxH]\n"
    "\n"
    "Draws a latency CDF (rtt_ns), a transaction-latency CDF\n"
    "(txn_latency_hist), goodput over time (goodput_bps) and the congestion\n"
    "window over time (cwnd_bytes, ssthresh_bytes dashed) from one or\n"
    "several metrics.csv files, overlaid, to FILE. Panels without data are\n"
    "left out. Default size 1280x720.\n";

/*
 * "xcsim CMD: msg" on stderr. msg carries names from the command line or
 * the trace (node names, paths), so control characters in it are escaped
 * rather than sent to the terminal.
 */
static void
err_line(const char *cmd, const char *msg)
{
	fprintf(stderr, "xcsim %s: ", cmd);
	fputs_escaped(msg, stderr);
	fputc('\n', stderr);
}

static int
usage_err(const char *cmd, const char *usage, const char *fmt, const char *a)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, a);
	err_line(cmd, msg);
	fprintf(stderr, "%.*s(xcsim %s --help for more)\n",
	    (int)(strchr(usage, '\n') - usage + 1), usage, cmd);
	return 2;
}

static int
parse_size(const char *s, int *w, int *h)
{
	char *end;
	long a, b;

	a = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return -1;
	s = end + 1;
	b = strtol(s, &end, 10);
	if (end == s || *end != '\0' || a < 64 || b < 64 || a > 8192 ||
	    b > 8192)
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

static int
parse_time(const char *cmd, const char *opt, const char *s, sim_time *t)
{
	char err[128], msg[512];

	if (units_parse_time(s, 0, t, err, sizeof(err)) < 0) {
		snprintf(msg, sizeof(msg), "%s %s: %s", opt, s, err);
		err_line(cmd, msg);
		return -1;
	}
	return 0;
}

int
cmd_viz(int argc, char **argv)
{
	const char *trace = NULL, *png = NULL, *frames = NULL;
	const char *at_s = NULL, *from_s = NULL, *to_s = NULL;
	struct viz_opts o = { 1280, 720, NULL, NULL, NULL };
	unsigned fps = 30;
	double speed = 0;
	sim_time at = 0, from = 0, to = 0;
	char err[512];
	int i, r;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(viz_usage, stdout);
			return 0;
		}
		if (a[0] != '-' || a[1] == '\0') {
			if (trace != NULL)
				return usage_err("viz", viz_usage,
				    "unexpected argument %s", a);
			trace = a;
			continue;
		}
		if (val == NULL)
			return usage_err("viz", viz_usage, "%s needs a value",
			    a);
		i++;
		if (strcmp(a, "--png") == 0)
			png = val;
		else if (strcmp(a, "--frames") == 0)
			frames = val;
		else if (strcmp(a, "--at") == 0)
			at_s = val;
		else if (strcmp(a, "--from") == 0)
			from_s = val;
		else if (strcmp(a, "--to") == 0)
			to_s = val;
		else if (strcmp(a, "--select") == 0)
			o.select = val;
		else if (strcmp(a, "--flow") == 0)
			o.flow = val;
		else if (strcmp(a, "--bgp") == 0)
			o.bgp = val;
		else if (strcmp(a, "--size") == 0) {
			if (parse_size(val, &o.width, &o.height) < 0)
				return usage_err("viz", viz_usage,
				    "bad --size %s (WxH, 64..8192)", val);
		} else if (strcmp(a, "--fps") == 0) {
			char *end;
			long n = strtol(val, &end, 10);

			if (*end != '\0' || n < 1 || n > 1000)
				return usage_err("viz", viz_usage,
				    "bad --fps %s (1..1000)", val);
			fps = (unsigned)n;
		} else if (strcmp(a, "--speed") == 0) {
			char *end;

			speed = strtod(val, &end);
			if (*end != '\0' || !(speed > 0) || speed > 1e6)
				return usage_err("viz", viz_usage,
				    "bad --speed %s (a positive number)", val);
		} else
			return usage_err("viz", viz_usage,
			    "unknown option %s", a);
	}
	if (trace == NULL)
		return usage_err("viz", viz_usage, "%s", "no trace file given");
	if (png != NULL && frames != NULL)
		return usage_err("viz", viz_usage, "%s",
		    "--png and --frames exclude each other");
	if (png != NULL) {
		if (at_s == NULL)
			return usage_err("viz", viz_usage, "%s",
			    "--png needs --at TIME");
		if (parse_time("viz", "--at", at_s, &at) < 0)
			return 2;
		r = viz_png(trace, png, at, &o, err, sizeof(err));
	} else if (frames != NULL) {
		if (from_s == NULL || to_s == NULL)
			return usage_err("viz", viz_usage, "%s",
			    "--frames needs --from and --to");
		if (parse_time("viz", "--from", from_s, &from) < 0 ||
		    parse_time("viz", "--to", to_s, &to) < 0)
			return 2;
		r = viz_frames(trace, frames, from, to, fps, speed, &o, err,
		    sizeof(err));
	} else {
		if (at_s != NULL || from_s != NULL || to_s != NULL)
			return usage_err("viz", viz_usage, "%s",
			    "--at/--from/--to need --png or --frames");
		r = viz_window(trace, &o, err, sizeof(err));
	}
	if (r < 0) {
		err_line("viz", err);
		return 2;
	}
	return 0;
}

int
cmd_plot(int argc, char **argv)
{
	const char **files;
	const char *png = NULL;
	int w = 1280, h = 720, i, n = 0, r;
	char err[512];

	files = calloc((size_t)argc + 1, sizeof(*files));
	if (files == NULL)
		return 2;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(plot_usage, stdout);
			free(files);
			return 0;
		}
		if (strcmp(a, "--png") == 0 || strcmp(a, "--size") == 0) {
			if (i + 1 >= argc) {
				free(files);
				return usage_err("plot", plot_usage,
				    "%s needs a value", a);
			}
			if (a[2] == 'p')
				png = argv[++i];
			else if (parse_size(argv[++i], &w, &h) < 0) {
				free(files);
				return usage_err("plot", plot_usage,
				    "bad --size %s (WxH, 64..8192)", argv[i]);
			}
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			free(files);
			return usage_err("plot", plot_usage,
			    "unknown option %s", a);
		}
		files[n++] = a;
	}
	if (n == 0 || png == NULL) {
		free(files);
		return usage_err("plot", plot_usage, "%s", n == 0 ?
		    "no metrics files given" : "--png FILE is required");
	}
	r = plot_png(files, (size_t)n, png, w, h, err, sizeof(err));
	free(files);
	if (r < 0) {
		err_line("plot", err);
		return 2;
	}
	return 0;
}

#else /* !XCSIM_HAVE_VIZ */

static int
no_viz(const char *cmd)
{
	fprintf(stderr, "xcsim %s: this xcsim was built without SDL2 "
	    "(apt-get install libsdl2-dev libsdl2-ttf-dev "
	    "libsdl2-image-dev, then rebuild)\n", cmd);
	return 2;
}

int
cmd_viz(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return no_viz("viz");
}

int
cmd_plot(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return no_viz("plot");
}

#endif
