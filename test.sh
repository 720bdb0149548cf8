#!/usr/bin/env bash
# Runs every test of Factdesk: vet, staticcheck, and go test over all
# packages, browser tests included. It first installs what those need when it
# can (Chromium from Debian's packages, axe-core from npm), so a fresh
# machine needs nothing else. With FACTDESK_TEST_POSTGRES set to a DSN the
# store and server suites run on PostgreSQL as well as on SQLite.
#
# --screenshots also refreshes the README's pictures in docs/screenshots;
# without it the browser tests write theirs to a temporary folder and the
# working tree stays as it was.
set -euo pipefail
cd "$(dirname "$0")"
for arg in "$@"; do
	case "$arg" in
	--screenshots) export FACTDESK_SCREENSHOTS=docs/screenshots ;;
	*) echo "test.sh: unknown argument $arg (--screenshots refreshes docs/screenshots)" >&2; exit 2 ;;
	esac
done

if ! command -v chromium >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "test.sh: installing Chromium for the browser tests"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
	else
		echo "test.sh: Chromium is missing; browser tests will skip (sudo apt-get install chromium chromium-driver)"
	fi
fi
if [ -f package-lock.json ] && [ ! -f node_modules/axe-core/axe.min.js ]; then
	if command -v npm >/dev/null 2>&1; then
		echo "test.sh: installing axe-core for the accessibility tests"
		npm ci --no-audit --no-fund --loglevel=error
	else
		echo "test.sh: npm is missing; accessibility tests will skip"
	fi
fi

echo "test.sh: go vet"
go vet ./...
echo "test.sh: staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
echo "test.sh: go test"
go test -count=1 -timeout 30m ./...
