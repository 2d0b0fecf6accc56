#!/bin/sh
echo ok
echo "unterminated
