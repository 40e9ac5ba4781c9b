# ansi2html.awk: a tmux screen (capture-pane -e -p -N) to an HTML page that
# looks like a dark terminal.  POSIX awk (mawk, gawk).
#
#   tmux capture-pane -e -p -N -t S |
#       awk -v cols=132 -v rows=36 -v title=mhtop -f ansi2html.awk >out.html
#
# Handles what tmux emits: SGR 0 1 2 3 4 5 7 8 9 21-29, 30-37 39 40-47 49
# 90-97 100-107, 38;5;N / 48;5;N and 38;2;R;G;B / 48;2;R;G;B.  The SGR
# state carries over from one line to the next, as on the terminal.  Reverse
# video swaps the foreground and background (the defaults included), which
# aha(1) gets wrong once a 39/49 follows a 7.  Variables: cols, rows (the
# pane size), title, font_px (default 14), line_px (default 17), pad_x,
# pad_y (default 14, 12).

function esc(s) {
	gsub(/&/, "\\&amp;", s)
	gsub(/</, "\\&lt;", s)
	gsub(/>/, "\\&gt;", s)
	return s
}

function hex2(n) {
	return sprintf("%02x", n)
}

function color256(n,    r, g, b, v) {
	if (n < 16)
		return PAL[n]
	if (n >= 232) {
		v = 8 + (n - 232) * 10
		return "#" hex2(v) hex2(v) hex2(v)
	}
	n -= 16
	r = int(n / 36); g = int(n / 6) % 6; b = n % 6
	return "#" hex2(r ? 55 + r * 40 : 0) hex2(g ? 55 + g * 40 : 0) \
	    hex2(b ? 55 + b * 40 : 0)
}

function reset() {
	bold = dim = ital = ul = blink = rev = hid = strike = 0
	fg = bg = ""
}

function sgr(params,    p, n, i, v, c) {
	if (params == "")
		params = "0"
	n = split(params, p, ";")
	for (i = 1; i <= n; i++) {
		v = p[i] + 0
		if (v == 0) reset()
		else if (v == 1) bold = 1
		else if (v == 2) dim = 1
		else if (v == 3) ital = 1
		else if (v == 4) ul = 1
		else if (v == 5 || v == 6) blink = 1
		else if (v == 7) rev = 1
		else if (v == 8) hid = 1
		else if (v == 9) strike = 1
		else if (v == 21) ul = 1
		else if (v == 22) bold = dim = 0
		else if (v == 23) ital = 0
		else if (v == 24) ul = 0
		else if (v == 25) blink = 0
		else if (v == 27) rev = 0
		else if (v == 28) hid = 0
		else if (v == 29) strike = 0
		else if (v >= 30 && v <= 37) fg = PAL[v - 30]
		else if (v == 39) fg = ""
		else if (v >= 40 && v <= 47) bg = PAL[v - 40]
		else if (v == 49) bg = ""
		else if (v >= 90 && v <= 97) fg = PAL[v - 90 + 8]
		else if (v >= 100 && v <= 107) bg = PAL[v - 100 + 8]
		else if ((v == 38 || v == 48) && i < n) {
			if (p[i + 1] == 5 && i + 2 <= n) {
				if (v == 38) fg = color256(p[i + 2] + 0)
				else bg = color256(p[i + 2] + 0)
				i += 2
			} else if (p[i + 1] == 2 && i + 4 <= n) {
				c = "#" hex2(p[i + 2]) hex2(p[i + 3]) hex2(p[i + 4])
				if (v == 38) fg = c
				else bg = c
				i += 4
			}
		}
	}
}

# The style of the current state, "" for plain text.
function style(    f, b, s, t) {
	f = fg; b = bg
	if (rev) {
		t = f == "" ? DEF_FG : f
		f = b == "" ? DEF_BG : b
		b = t
	}
	if (bold && f == "" )
		f = BOLD_FG
	if (dim)
		f = f == "" ? DIM_FG : f
	if (hid)
		f = b == "" ? DEF_BG : b
	s = ""
	if (f != "") s = s "color:" f ";"
	if (b != "") s = s "background:" b ";"
	if (bold) s = s "font-weight:bold;"
	if (ital) s = s "font-style:italic;"
	t = ""
	if (ul) t = t " underline"
	if (strike) t = t " line-through"
	if (t != "") s = s "text-decoration:" substr(t, 2) ";"
	if (dim && fg != "") s = s "opacity:.6;"
	return s
}

function put(text,    s) {
	if (text == "")
		return
	s = style()
	if (s == "")
		out = out esc(text)
	else
		out = out "<span style=\"" s "\">" esc(text) "</span>"
}

BEGIN {
	# a dark palette (xterm-like, softened)
	split("#1e1e1e #cd3131 #0dbc79 #e5e510 #2472c8 #bc3fbc #11a8cd #e5e5e5 " \
	    "#666666 #f14c4c #23d18b #f5f543 #3b8eea #d670d6 #29b8db #ffffff", P, " ")
	for (k = 1; k <= 16; k++)
		PAL[k - 1] = P[k]
	DEF_BG = "#1e1e1e"
	DEF_FG = "#d4d4d4"
	BOLD_FG = "#ffffff"
	DIM_FG = "#7f7f7f"
	if (cols == "") cols = 80
	if (rows == "") rows = 24
	if (font_px == "") font_px = 14
	if (line_px == "") line_px = 17
	if (pad_x == "") pad_x = 14
	if (pad_y == "") pad_y = 12
	if (title == "") title = "terminal"
	reset()
	nlines = 0
	ESC = sprintf("%c", 27)
}

{
	line = $0
	out = ""
	while ((i = index(line, ESC)) > 0) {
		put(substr(line, 1, i - 1))
		line = substr(line, i)
		if (match(line, /^\033\[[0-9;:]*[@-~]/)) {
			seq = substr(line, 3, RLENGTH - 3)
			if (substr(line, RLENGTH, 1) == "m") {
				gsub(/:/, ";", seq)
				sgr(seq)
			}
			line = substr(line, RLENGTH + 1)
		} else if (match(line, /^\033\][^\007]*\007/)) {
			line = substr(line, RLENGTH + 1)	# OSC: dropped
		} else
			line = substr(line, 2)
	}
	put(line)
	if (nlines < rows)
		L[++nlines] = out
}

END {
	while (nlines < rows)
		L[++nlines] = ""
	printf "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
	printf "<title>%s</title>\n<style>\n", esc(title)
	printf "html, body { margin: 0; padding: 0; background: %s; }\n", DEF_BG
	printf "pre { margin: 0; padding: %dpx %dpx; color: %s; background: %s;\n", pad_y, pad_x, DEF_FG, DEF_BG
	printf "  font-family: 'DejaVu Sans Mono', monospace; font-size: %dpx;\n", font_px
	printf "  line-height: %dpx; white-space: pre; width: %dch;\n", line_px, cols
	printf "  font-variant-ligatures: none; -webkit-font-smoothing: antialiased; }\n"
	printf "span { white-space: pre; }\n"
	printf "</style></head><body><pre>"
	for (k = 1; k <= nlines; k++)
		printf "%s%s", L[k], k < nlines ? "\n" : ""
	printf "</pre></body></html>\n"
}
