#!/bin/sh
# Install Debian's Chromium and ChromeDriver for the browser tests, if missing.
# Playwright drives /usr/bin/chromium; it never downloads a browser.
set -e
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver
