#!/usr/bin/env bash
# Regenerates reports/examples/ with the commands its README lists, keeping the small
# files only (summary, model, report, charts, analytics tables; not the big per-user and
# per-minute tables nor their Parquet twins).
#
#   cargo build --release && scripts/examples.sh [path/to/tokensim]
set -euo pipefail
bin=${1:-target/release/tokensim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=reports/examples
keep() { # run folder -> example folder
  rm -rf "$2" && mkdir -p "$2"
  find "$1" -maxdepth 1 -type f \
    \( -name '*.png' -o -name '*.svg' -o -name '*.md' -o -name '*.json' -o -name 'model.toml' \
    -o -name '*.csv' \) \
    ! -name users.csv ! -name timeseries.csv ! -name segment_timeseries.csv \
    ! -name revocations.csv -exec cp {} "$2"/ \;
}
"$bin" run --out "$work/default" >/dev/null && keep "$work/default" "$out/default"
for m in incident-response token-protection; do
  "$bin" run "models/$m.toml" --out "$work/$m" >/dev/null && keep "$work/$m" "$out/$m"
done
for f in 8h 24h 7d; do
  "$bin" run models/sign-in-frequency.toml --set "policy.sign_in_frequency.every=$f" \
    --out "$work/sif-$f" >/dev/null && keep "$work/sif-$f" "$out/sign-in-frequency/$f"
done
"$bin" sweep models/sweep-global-outage.toml --set scenario.users=20000 \
  --vary policy.access_token.lifetime_max=90m,4h,24h --vary segment.0.app.0.cp1=false,true \
  --vary segment.1.app.1.profile=msal-python,guided --replications 5 \
  --out "$work/sweep" >/dev/null
keep "$work/sweep" "$out/sweep-global-outage"
# A variant's run folder holds its tables; its report is rendered on demand.
"$bin" report "$work/sweep/runs/v04-r01" >/dev/null
keep "$work/sweep/runs/v04-r01" "$out/sweep-global-outage/runs/v04-r01"
