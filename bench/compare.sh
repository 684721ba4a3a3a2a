#!/usr/bin/env bash
# Whole-program comparison: the compute kernels from testbins/src, built for AArch64 (run under
# emu-aarch64 and qemu-aarch64) and natively for the host (gcc -O2), timed, outputs cross-checked,
# summarised as a markdown table with emu/qemu and emu/native ratios and their geometric means,
# written to bench/results.md with a chart bench/results.png (python3-matplotlib) when all kernels ran.
# Times are CPU seconds (user + sys): the build machine is shared, so wall time is noise.
#   bench/compare.sh [kernel...]   BENCH_RUNS=n: best of n runs (default 1); EMU_BIN: emulator to time
# Needs: artifacts/bin/emu-aarch64 (scripts/build), aarch64-linux-gnu-gcc, gcc, qemu-aarch64.
set -euo pipefail
cd "$(dirname "$0")/.."

kernels=("$@")
((${#kernels[@]})) || kernels=(sha256 crc32 qsort bytecode pointer_chase)
runs=${BENCH_RUNS:-1}
emu=${EMU_BIN:-artifacts/bin/emu-aarch64}
out=artifacts/bench
[[ -x $emu ]] || { echo "bench/compare.sh: $emu missing, run scripts/build" >&2; exit 1; }
mkdir -p "$out/aarch64" "$out/native" "$out/stdout"

for k in "${kernels[@]}"; do
    aarch64-linux-gnu-gcc -O2 -static -o "$out/aarch64/$k" "testbins/src/$k.c"
    # Kernels with AArch64 inline assembly (nbody's FSQRT) have no native build: their native column is FAIL.
    rm -f "$out/native/$k"
    gcc -O2 -o "$out/native/$k" "testbins/src/$k.c" 2>/dev/null || echo "bench/compare.sh: no native build of $k" >&2
done

# Runs "$@" $runs times; prints the best CPU time (user + sys) in seconds, or FAIL if any run exits non-zero.
# stdout of the last run goes to $capture.
best_time() {
    local best="" t status
    for ((i = 0; i < runs; i++)); do
        status=0
        /usr/bin/time -f "%U %S" -o "$out/time" "$@" >"$capture" 2>/dev/null || status=$?
        if [[ $status != 0 ]]; then echo "FAIL (exit $status)"; return; fi
        t=$(awk '{ s = $1 + $2 } END { printf "%.2f", s }' "$out/time")
        if [[ -z $best ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
    done
    echo "$best"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^FAIL/ || b ~ /^FAIL/ || b <= 0) print "-"; else printf "%.2f", a / b }'; }

rows=()
log_eq=0 log_en=0 n=0 n_native=0
for k in "${kernels[@]}"; do
    capture=$out/stdout/$k.native; t_native=$(best_time "$out/native/$k")
    capture=$out/stdout/$k.qemu;   t_qemu=$(best_time qemu-aarch64 "$out/aarch64/$k")
    capture=$out/stdout/$k.emu;    t_emu=$(best_time "$emu" "$out/aarch64/$k")
    note=""
    if [[ $t_emu != FAIL* ]] && ! cmp -s "$out/stdout/$k.emu" "$out/stdout/$k.qemu"; then
        note="output differs from qemu"; t_emu=FAIL
    fi
    # Native output differs only if the kernel is not portable; the checks in each kernel still apply.
    if [[ $t_native != FAIL* ]] && ! cmp -s "$out/stdout/$k.native" "$out/stdout/$k.qemu"; then
        note="${note:+$note; }native output differs from qemu"
    fi
    r_eq=$(ratio "$t_emu" "$t_qemu"); r_en=$(ratio "$t_emu" "$t_native")
    if [[ $r_eq != - ]]; then
        log_eq=$(awk -v s="$log_eq" -v r="$r_eq" 'BEGIN { print s + log(r) }')
        n=$((n + 1))
    fi
    if [[ $r_en != - ]]; then
        log_en=$(awk -v s="$log_en" -v r="$r_en" 'BEGIN { print s + log(r) }')
        n_native=$((n_native + 1))
    fi
    rows+=("| $k | $t_emu | $t_qemu | $t_native | $r_eq | $r_en | $note |")
done

{
    echo "| kernel | emu-aarch64 s | qemu-aarch64 s | native s | emu/qemu | emu/native | note |"
    echo "|---|---:|---:|---:|---:|---:|---|"
    printf '%s\n' "${rows[@]}"
    if ((n > 0)); then
        awk -v a="$log_eq" -v b="$log_en" -v n="$n" -v m="$n_native" \
            'BEGIN { printf "| geometric mean (%d kernels) | | | | %.2f | %s | |\n", n, exp(a / n), m > 0 ? sprintf("%.2f", exp(b / m)) : "-" }'
    else
        echo "| geometric mean | | | | - | - | no kernel ran correctly under emu-aarch64 |"
    fi
} | tee "$out/results.md"

# The committed report is only rewritten by a full run (all default kernels).
if (($# == 0)); then
    { echo "CPU seconds (user + sys), best of $runs run(s), $(date -u +%Y-%m-%d), $(nproc) host cores."; echo; cat "$out/results.md"; } >bench/results.md
    /usr/bin/python3 bench/chart.py bench/results.md bench/results.png || echo "bench/compare.sh: no chart (python3-matplotlib missing?)" >&2
fi
