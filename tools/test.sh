#!/usr/bin/env bash
# The whole suite: types, unit and integration tests (PGlite, and PostgreSQL when
# TEST_DATABASE_URL is set), a simulated year judged by the money audit, a production build, the leak audit on each engine (and its planted
# leaks), the browser tests on each engine, and on
# PostgreSQL the faults on a two-server cluster behind nginx.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ] && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
fi
if [ ! -x "$chromium" ]; then
  echo "The browser tests need Chromium at $chromium: apt-get install -y chromium (or set CHROMIUM_PATH)." >&2
  exit 1
fi
if [ -n "${TEST_DATABASE_URL:-}" ] && ! command -v nginx > /dev/null && [ ! -x /usr/sbin/nginx ] && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
  echo "Installing Debian's nginx for the cluster faults…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx > /dev/null
fi
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n== %s\n' "$*"; }

step "typecheck"
npx tsc --noEmit

step "lint"
npx eslint . --max-warnings 0

step "unit and integration tests${TEST_DATABASE_URL:+ (PGlite and PostgreSQL)}"
npx vitest run

step "a simulated year: 200 readers through 12 months of the Stripe emulator, then the money audit (prints its seed)"
npm run test:simulation

step "production build"
npx next build > .next-build.log 2>&1 || { cat .next-build.log; exit 1; }
rm -f .next-build.log

step "leak audit on PGlite (the built site as a stranger and a registered reader; exit 1 on any locked text found)"
npm run audit:leaks --silent -- --out .data/leak-audit-ci

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "leak audit on PostgreSQL"
  npm run audit:leaks --silent -- --database-url "$TEST_DATABASE_URL" --out .data/leak-audit-ci-postgres
fi

step "the leak audit catches a leak planted in each channel"
npm run test:audit

step "fuzz: generated requests against the production build${TEST_DATABASE_URL:+ (PGlite and PostgreSQL)} and the Stripe emulator"
npm run test:fuzz

step "browser tests on PGlite"
npx playwright test

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "browser tests on PostgreSQL"
  E2E_DATABASE_URL="$TEST_DATABASE_URL" npx playwright test
fi

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "faults on a two-server cluster behind nginx (PostgreSQL)"
  npm run test:faults
fi
