#!/usr/bin/env bash
# npm test: every layer once, on embedded PGlite (no PostgreSQL needed): types and lint, the unit
# and integration tests, a production build, the leak audit, and the browser specs of the reader's
# core paths. About 6 minutes on 2 cores.
#
# npm run test:all (CI) is npm test, then this script with --rest: what only a longer run or
# PostgreSQL can do, on npm test's build: the integration tests and the 10,000-recipient newsletter
# crash on PostgreSQL, the leak audit on PostgreSQL and its planted leaks, the fuzz, the other
# browser specs on PGlite and every spec on PostgreSQL (the two side by side), and the faults on a two-server cluster
# behind nginx, and a simulated year judged by the money audit. Nothing runs twice: one build, each test file once per engine (but for the few
# engine-free ones that read ../shared, which npm test in a fresh clone runs without it). --rest
# needs TEST_DATABASE_URL (a PostgreSQL server where it may create databases). Each stage's time
# is printed, and all of them at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

rest=false
case "${1:-}" in
  "") ;;
  --rest) rest=true ;;
  *) echo "usage: tools/test.sh [--rest]" >&2; exit 2 ;;
esac
if $rest && [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "npm run test:all needs PostgreSQL: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)." >&2
  exit 2
fi

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "The browser tests need Chromium at $chromium: apt-get install -y chromium (or set CHROMIUM_PATH)." >&2
  exit 1
fi
if $rest && ! command -v nginx > /dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "The cluster faults need nginx: apt-get install -y nginx." >&2
  exit 1
fi
export NEXT_TELEMETRY_DISABLED=1

# The browser specs of npm test: reading and the meter, signing in, paying and cancelling, gifts,
# the access trace, and what the fresh clone's demo content shows. test:all runs the others too.
core_specs=(
  tests/e2e/reading.spec.ts
  tests/e2e/accounts.spec.ts
  tests/e2e/billing.spec.ts
  tests/e2e/checkout-trust.spec.ts
  tests/e2e/gifts.spec.ts
  tests/e2e/access-trace.spec.ts
  tests/e2e/short-articles.spec.ts
)
mapfile -t other_specs < <(ls tests/e2e/*.spec.ts | grep -vxF -f <(printf '%s\n' "${core_specs[@]}"))

times=()
started=$SECONDS
summary() {
  printf '\n== stage times\n'
  printf '%s\n' "${times[@]}"
  printf '%5d s  in all\n' $((SECONDS - started))
}
trap summary EXIT
stage() {
  local name=$1
  shift
  printf '\n== %s\n' "$name"
  local begun=$SECONDS
  "$@"
  times+=("$(printf '%5d s  %s' $((SECONDS - begun)) "$name")")
  printf -- '-- %s: %d s\n' "$name" $((SECONDS - begun))
}

# tsc and eslint are single-threaded: on two cores they finish together in the time of one.
types_and_lint() {
  local out
  out=$(mktemp -d)
  npx tsc --noEmit > "$out/tsc" 2>&1 &
  local tsc=$!
  npx eslint . --max-warnings 0 > "$out/eslint" 2>&1 &
  local eslint=$!
  local failed=0
  wait $tsc || { cat "$out/tsc"; failed=1; }
  wait $eslint || { cat "$out/eslint"; failed=1; }
  rm -rf "$out"
  return $failed
}

build() {
  npx next build > .next-build.log 2>&1 || { cat .next-build.log; return 1; }
  rm -f .next-build.log
}

# A browser test spends most of its time waiting on a page, a mail or a webhook, so two runs fit
# on two cores: each has its own server, emulator, mailbox and database (E2E_PORT), and its own
# output folder. Each run's log is printed when it ends.
browser_tests_side_by_side() {
  local out
  out=$(mktemp -d)
  local pglite_specs=() postgres_specs=() spec
  for spec in "${other_specs[@]}"; do [ "$spec" = "$alone_spec" ] || pglite_specs+=("$spec"); done
  for spec in tests/e2e/*.spec.ts; do [ "$spec" = "$alone_spec" ] || postgres_specs+=("$spec"); done
  npx playwright test "${pglite_specs[@]}" > "$out/pglite" 2>&1 &
  local pglite=$!
  E2E_PORT=3260 E2E_DATABASE_URL="$TEST_DATABASE_URL" npx playwright test --output=test-results/postgres "${postgres_specs[@]}" > "$out/postgres" 2>&1 &
  local postgres=$!
  local failed=0
  wait $pglite || failed=1
  printf -- '--- on PGlite\n'; cat "$out/pglite"
  wait $postgres || failed=1
  printf -- '--- on PostgreSQL\n'; cat "$out/postgres"
  rm -rf "$out"
  return $failed
}

# The leak audit crawls its own server (free ports) while the core specs wait on theirs.
audit_beside_core_specs() {
  local out
  out=$(mktemp -d)
  npm run audit:leaks --silent -- --out .data/leak-audit-ci > "$out/audit" 2>&1 &
  local audit=$!
  local failed=0
  npx playwright test "${core_specs[@]}" || failed=1
  wait $audit || failed=1
  printf -- '--- the leak audit\n'; cat "$out/audit"
  rm -rf "$out"
  return $failed
}

instances_alone() {
  npx playwright test "$alone_spec"
  E2E_DATABASE_URL="$TEST_DATABASE_URL" npx playwright test "$alone_spec"
}
alone_spec=tests/e2e/instances.spec.ts

if ! $rest; then
  stage "typecheck and lint" types_and_lint
  # On PGlite only (TEST_DATABASE_URL or not); the crash test sends 1,000 here, 10,000 on PostgreSQL.
  # Two files at a time even on two cores: much of an integration test's time is spent waiting on
  # a child process, a socket or a poll.
  stage "unit and integration tests on PGlite" \
    env TEST_ENGINES=pglite NEWSLETTER_CRASH_RECIPIENTS="${NEWSLETTER_CRASH_RECIPIENTS:-1000}" npx vitest run --project unit --project integration --maxWorkers=2
  stage "production build" build
  stage "leak audit (the built site as a stranger and a registered reader) and the core browser specs, side by side, on PGlite" \
    audit_beside_core_specs
else
  # npm test's build, here or copied from the fresh clone that ran npm test (.ci/fresh-clone).
  [ -f .next/BUILD_ID ] || stage "production build" build
  # The engine-free files whose input is ../shared (the shared article fixtures and Stripe shapes),
  # when it is there: npm test on a fresh clone ran them without it.
  if [ -d ../shared ]; then
    mapfile -t shared_files < <(grep -rlE 'support/fixtures|SHARED_DIR' tests/unit tests/integration --include='*.test.ts' | xargs grep -LE '\bengines\b' | sort)
    stage "unit and engine-free integration tests on ../shared's fixtures" npx vitest run --project unit --project integration "${shared_files[@]}"
  fi
  # The files that open a database run again on PostgreSQL; the rest (Stripe emulator, SMTP sink)
  # have no engine and ran in npm test.
  mapfile -t engine_files < <(grep -rlE '\bengines\b' tests/integration --include='*.test.ts' | sort)
  stage "integration tests on PostgreSQL (the newsletter crash with 10,000 recipients)" \
    env TEST_ENGINES=postgres NEWSLETTER_CRASH_RECIPIENTS=10000 npx vitest run --project integration --maxWorkers=2 "${engine_files[@]}"
  stage "leak audit on PostgreSQL" \
    npm run audit:leaks --silent -- --database-url "$TEST_DATABASE_URL" --out .data/leak-audit-ci-postgres
  stage "a simulated year: 200 readers through 12 months of the Stripe emulator, judged by the money audit (prints its seed)" \
    npx vitest run --project simulation
  stage "the leak audit catches a leak planted in each channel" npx vitest run --project audit
  stage "fuzz: generated requests against the build (PGlite and PostgreSQL) and the Stripe emulator" \
    npx vitest run --project fuzz
  stage "browser tests side by side: the other specs on PGlite, every spec on PostgreSQL" browser_tests_side_by_side
  # Alone on the machine: it holds the other instance to showing a change within a second.
  stage "browser tests alone: two instances within a second (PGlite, PostgreSQL)" instances_alone
  stage "faults on a two-server cluster behind nginx (PostgreSQL)" npx vitest run --project faults
fi
