#!/bin/sh
# pins.tsv -> the C header toolkit/lib/tables.c builds its tables from, so
# the pins are typed once. Every line is checked: a malformed one stops the
# build naming file:line.
# usage: scripts/pins-h.sh pins.tsv > pins.h   (the Makefile runs it)
set -eu
awk -F'\t' '
function bad(why) { printf "%s:%d: %s\n", FILENAME, FNR, why > "/dev/stderr"; err = 1 }
/^#/ || /^$/ { next }
NF != 5 { bad("want 5 TAB-separated fields: KIND VERSION SHA256 SUITE FILE-OR-MARK"); next }
$2 !~ /^[0-9]+(\.[0-9]+)+$/ { bad("version " $2 ": digits and dots"); next }
$3 !~ /^[0-9a-f]+$/ || length($3) != 64 { bad("sha256 " $3 ": 64 lowercase hex digits"); next }
$4 !~ /^[a-z]+$/ { bad("suite " $4 ": a Debian suite name"); next }
$1 == "busybox" { bb = bb sprintf("\t{\"%s\", \"%s\", \"%s\"}, \\\n", $2, $3, $4); if ($5 == "default") def = $2; next }
$1 == "musl" { mu = mu sprintf("\t{\"%s\", \"%s\", \"%s\"}, \\\n", $2, $3, $4); next }
$1 == "debian" {
	if ($5 !~ /^[A-Za-z0-9.+_-]+\.debian\.tar\.[a-z]+$/) { bad("file " $5 ": a *.debian.tar.* name"); next }
	de = de sprintf("\t{\"%s\", \"%s\", \"%s\", \"%s\"}, \\\n", $2, $5, $3, $4); next
}
$1 == "upx" {
	if ($5 !~ /^[A-Za-z0-9.+_-]+\.orig\.tar\.[a-z]+$/) { bad("file " $5 ": an *.orig.tar.* name"); next }
	if (up != "") { bad("one upx line only"); next }
	up = sprintf("\t{\"%s\", \"%s\", \"%s\", \"%s\"}, \\\n", $2, $5, $3, $4); next
}
{ bad("kind " $1 ": busybox, musl, debian or upx") }
END {
	if (err) exit 1
	if (def == "") { printf "%s: no busybox line marked default\n", FILENAME > "/dev/stderr"; exit 1 }
	print "/* Generated from pins.tsv by scripts/pins-h.sh: edit pins.tsv. */"
	printf "#define BBKIT_DEFAULT_VERSION \"%s\"\n", def
	printf "#define BBKIT_PINS_BUSYBOX \\\n%s\n", bb
	printf "#define BBKIT_PINS_MUSL \\\n%s\n", mu
	printf "#define BBKIT_PINS_DEBIAN \\\n%s\n", de
	if (up == "") { printf "%s: no upx line\n", FILENAME > "/dev/stderr"; exit 1 }
	printf "#define BBKIT_PIN_UPX \\\n%s\n", up
}' "$1"
