#!/usr/bin/env bash
# The whole test suite (README's test command; .ci/run calls it). Builds and runs every test project, installs
# the Debian packages the real-process tests need, skips the Pulumi-dependent projects loudly when no package
# source serves Pulumi, and ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out="$root/.test-output"
rm -rf "$out" && mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '\n==> %s\n' "$*"; }

# --- 1. Debian packages for the real-process tests (PostgreSQL 15, Patroni, etcd, tini, promtool, postgres_exporter;
# for the fault suite: nftables to cut links, gcc and libc6-dev for the shim that binds each member's connections to
# its own loopback address, iproute2 for ss)
packages=(postgresql-15 patroni etcd-server tini prometheus prometheus-postgres-exporter nftables gcc libc6-dev iproute2)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages the real-process tests need: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  if ! { $sudo_cmd apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$out/apt.log" 2>&1; then
    echo "could not install ${missing[*]} (see $out/apt.log)" >&2
    tail -20 "$out/apt.log" >&2
    if [ "${CI:-}" = "true" ]; then echo "CI needs them: the real-process tests never skip in CI." >&2; exit 1; fi
  fi
fi
# Debian starts the packaged services; the tests run their own on free ports, so stop these where they run.
for svc in etcd patroni postgresql prometheus prometheus-postgres-exporter; do systemctl stop "$svc" >/dev/null 2>&1 || true; done

# --- 2. Which projects can be built here -------------------------------------------------------------------
core_projects=(tests/PgHa.Core.Tests tests/PgHa.Operations.Tests tests/PgHa.Cli.Tests tests/PgHa.Integration.Tests tests/PgHa.Faults.Tests)
pulumi_projects=(tests/PgHaInfra.Tests tests/PgHa.Provider.Tests)
skipped_reason=""
say "checking whether the Pulumi packages (Pulumi, Pulumi.Kubernetes, Pulumi.Aws) can be restored"
if dotnet restore infra/PgHaInfra/PgHaInfra.csproj >"$out/pulumi-restore.log" 2>&1; then
  projects=("${core_projects[@]}" "${pulumi_projects[@]}")
  echo "yes: all projects run"
elif grep -Eq "NU110[12].*Pulumi" "$out/pulumi-restore.log"; then
  projects=("${core_projects[@]}")
  skipped_reason=$(grep -Eo "Unable to find package Pulumi([.][A-Za-z]+)*" "$out/pulumi-restore.log" | sort -u | paste -sd ';' -)
else
  cat "$out/pulumi-restore.log" >&2
  echo "restore of infra/PgHaInfra failed for a reason other than missing Pulumi packages" >&2
  exit 1
fi

# --- 3. Build and run -------------------------------------------------------------------------------------
passed=0; failed=0; skipped=0; broken=(); timings=()
for project in "${projects[@]}"; do
  name=$(basename "$project")
  say "testing $name"
  project_started=$SECONDS; p=; f=; s=
  dotnet test "$project" --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$out" 2>&1 | tee "$out/$name.log" | grep -E "^\s*(Passed|Failed|Skipped) |error|Total tests|Passed!|Failed!|==>|\[progress\]" 
  status=${PIPESTATUS[0]}
  trx="$out/$name.trx"
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    p=$(grep -o ' passed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
    f=$(grep -o ' failed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
    s=$(grep -o ' notExecuted="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  fi
  # Build and run time per project, listed before the totals (where the CI budget goes).
  timings+=("$(printf '%-26s %4ds  %s passed, %s failed' "$name" $((SECONDS - project_started)) "${p:-?}" "${f:-?}")")
  if [ "$status" -ne 0 ] && { [ ! -f "$trx" ] || [ "${f:-0}" -eq 0 ]; }; then
    broken+=("$name (build or run failed, exit $status; see $out/$name.log)")
  fi
done

# The benchmark is no test, but it must keep compiling against the harness and the rollout it measures.
say "building bench/PgHa.FailoverBench"
if ! dotnet build bench/PgHa.FailoverBench >"$out/bench-build.log" 2>&1; then
  grep -E "error" "$out/bench-build.log" | sort -u | head -20
  broken+=("bench/PgHa.FailoverBench (does not build; see $out/bench-build.log)")
fi

# --- 4. Summary ------------------------------------------------------------------------------------------
if [ -n "$skipped_reason" ]; then
  # What was not run counts as skipped: the test methods of the skipped projects (a theory counts once).
  not_run=$(cat $(find "${pulumi_projects[@]}" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*') | grep -cE '^\s*\[(Fact|Theory)\b')
  skipped=$((skipped + not_run))
  sources=$(dotnet nuget list source 2>/dev/null | grep -E '^\s+https?://|^\s+/' | sed 's/^ *//' | paste -sd ' ' -)
  cat <<MSG

################################################################################################
##  SKIPPED (not run): ${pulumi_projects[*]}
##  ($not_run test methods), and with them the build of infra/PgHaInfra and infra/PgHa.Provider.
##  Missing: the NuGet packages Pulumi, Pulumi.Kubernetes and Pulumi.Aws (versions pinned in
##  Directory.Packages.props): $skipped_reason
##  The configured NuGet sources (${sources:-none listed}) answered that they do not serve them (a mirror
##  that carries only part of NuGet does this, whatever its name). Add a source that serves them
##  (dotnet nuget add source <url>) and run this again.
##  Everything else ran.
################################################################################################
MSG
fi
echo; echo "Time per project (build and run):"
printf '  %s\n' "${timings[@]}"
if [ "$failed" -gt 0 ]; then
  # Repeat the failures here, next to the totals: the per-test lines above scroll away (and CI keeps only a tail).
  echo; echo "Failed tests:"
  if command -v python3 >/dev/null; then python3 scripts/failed-tests.py "$out"/*.trx
  else grep -ho 'testName="[^"]*"[^>]*outcome="Failed"' "$out"/*.trx | sed 's/testName="\([^"]*\)".*/FAILED: \1/'; fi
fi
for b in "${broken[@]}"; do echo "BROKEN: $b"; done
[ ${#broken[@]} -gt 0 ] && failed=$((failed + ${#broken[@]}))
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
