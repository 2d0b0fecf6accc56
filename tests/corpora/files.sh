#!/bin/bash
# The scripts of one corpus that run under busybox ash, one path a line:
# every file whose first line is #!/bin/sh (or #! /bin/sh), or a comment
# marking it -*- shell-script -*- (a file . sources), in name order.
#   initramfs-tools DIR  init, scripts/ (functions, local, nfs, their
#                        subdirectories), hooks/, hook-functions
#   live-boot DIR        components/ (/lib/live/boot/), backend/, frontend/
#   busybox-examples SRC the busybox tree's examples/ (udhcp/simple.script,
#                        the var_service runit scripts, ...)
#   busybox-debian DIR   the busybox debian/ tree's udhcpc default.script
#   router               tests/fixtures/router-entrypoint.sh (ours, not real)
# usage: tests/corpora/files.sh NAME [DIR]
set -eu
name=${1:?usage: $0 NAME [DIR]} dir=${2:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
sh_only() {
	local f
	while IFS= read -r f; do
		case "$(head -n 1 "$f" | tr -d '\0')" in '#!/bin/sh' | '#! /bin/sh' | '#!/bin/sh '* | '#'*'-*- shell-script -*-'*) echo "$f" ;; esac
	done < <(find "$@" -type f | LC_ALL=C sort)
}
case $name in
initramfs-tools) sh_only "$dir/init" "$dir/scripts" "$dir/hooks" "$dir/hook-functions" ;;
live-boot) sh_only "$dir/components" "$dir/backend" "$dir/frontend" ;;
busybox-examples) sh_only "$dir/examples" ;;
busybox-debian) echo "$dir/tree/udhcpc/etc/udhcpc/default.script" ;;
router) echo "$top/tests/fixtures/router-entrypoint.sh" ;;
*) echo "tests/corpora/files.sh: $name: not a corpus" >&2; exit 2 ;;
esac
