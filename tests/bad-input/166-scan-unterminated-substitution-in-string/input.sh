#!/bin/sh
echo ok
echo "$(reboot"
