#!/bin/sh
# A text file -> a C header holding it as one string, minus its first line
# (a shebang the embedding program writes itself), so a script bbkit
# installs stays a real file that shellcheck reads.
# usage: scripts/embed-h.sh FILE NAME > NAME.h   (the Makefile runs it)
set -eu
awk -v name="$2" '
BEGIN { printf "/* Generated from %s by scripts/embed-h.sh: edit that file. */\n", ARGV[1]
	printf "static const char %s[] =\n", name }
NR == 1 { next }
{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); printf "\t\"%s\\n\"\n", $0 }
END { print "\t\"\";" }' "$1"
