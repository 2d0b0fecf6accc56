#!/bin/sh
# A text file -> a C header holding it as one string, minus its first line
# (a shebang the embedding program writes itself), so a script bbkit
# installs stays a real file that shellcheck reads.
# usage: scripts/embed-h.sh FILE NAME > NAME.h   (the Makefile runs it)
set -eu
tab=$(printf '\t')
printf '/* Generated from %s by scripts/embed-h.sh: edit that file. */\n' "$1"
printf 'static const char %s[] =\n' "$2"
# backslashes first, then quotes, '?' (no trigraphs under -std=c11) and
# tabs as C escapes; each line + "\n"
sed -e '1d' -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e "s/$tab/\\\\t/g" -e 's/.*/	"&\\n"/' "$1"
printf '\t"";\n'
