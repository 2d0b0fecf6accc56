#!/bin/sh
cat <<EOF
$(reboot)
