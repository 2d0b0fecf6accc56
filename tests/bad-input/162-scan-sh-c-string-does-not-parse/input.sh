#!/bin/sh
echo a
su -c "reboot; if" root
