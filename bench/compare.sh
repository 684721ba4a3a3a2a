#!/usr/bin/env bash
# Whole-program comparison: the compute kernels from testbins/src, built for AArch64 (run under
# emu-aarch64 and qemu-aarch64) and natively for the host (gcc -O2), timed, outputs cross-checked,
# summarised as a markdown table with emu/qemu and emu/native ratios and their geometric means,
# written to bench/results.md with a chart bench/results.png (python3-matplotlib) when all kernels ran.
# Times are CPU seconds (user + sys): the build machine is shared, so wall time is noise.
#   bench/compare.sh [kernel...]   BENCH_RUNS=n: best of n runs (default 1); EMU_BIN: emulator to time
# The kernels take a size argument (steps, or rounds of their checked work) that makes them bench-sized; the
# testbins run them without it. The FP/SIMD kernels' geometric mean is reported apart from the integer kernels'.
# Needs: artifacts/bin/emu-aarch64 (scripts/build), aarch64-linux-gnu-gcc, gcc, qemu-aarch64.
set -euo pipefail
cd "$(dirname "$0")/.."

kernels=("$@")
((${#kernels[@]})) || kernels=(sha256 crc32 qsort bytecode pointer_chase nbody matmul strings)
fp_simd_kernels=" nbody matmul strings "
# Arguments per kernel: about 2 s under qemu-aarch64 each (the emulators' start-up stays a small part).
declare -A kernel_args=([sha256]=2 [crc32]=10 [qsort]=3 [bytecode]=3 [nbody]=800000 [matmul]=300 [strings]=30000)
runs=${BENCH_RUNS:-1}
emu=${EMU_BIN:-artifacts/bin/emu-aarch64}
out=artifacts/bench
[[ -x $emu ]] || { echo "bench/compare.sh: $emu missing, run scripts/build" >&2; exit 1; }
mkdir -p "$out/aarch64" "$out/native" "$out/stdout"

# AArch64 gcc contracts a*b+c into FMADD/FMLA; the host build does the same when it has FMA, so that the
# float results (matmul's checksum) match.
native_flags=()
grep -qw fma /proc/cpuinfo && native_flags=(-mfma)
for k in "${kernels[@]}"; do
    aarch64-linux-gnu-gcc -O2 -static -o "$out/aarch64/$k" "testbins/src/$k.c" -lm
    rm -f "$out/native/$k"
    gcc -O2 "${native_flags[@]}" -o "$out/native/$k" "testbins/src/$k.c" -lm 2>/dev/null || echo "bench/compare.sh: no native build of $k" >&2
done

# $out/rusage OUT CMD...: runs CMD, writes "user+sys-seconds peak-RSS-KB wall-seconds" of it to OUT with
# microsecond resolution (/usr/bin/time prints 10 ms, too coarse for the native runs and the start-up times),
# exits with CMD's status.
cat >"$out/rusage.c" <<'C'
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    if (argc < 3) return 2;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid == 0) { execvp(argv[2], argv + 2); _exit(127); }
    int status;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) return 2;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    FILE *f = fopen(argv[1], "w");
    if (!f) return 2;
    fprintf(f, "%.6f %ld %.6f\n", ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6, ru.ru_maxrss,
            (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    fclose(f);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
C
gcc -O2 -o "$out/rusage" "$out/rusage.c"

# Runs "$@" once; prints its CPU time (user + sys) in seconds, or FAIL if it exits non-zero. Its stdout goes to
# $capture, its peak RSS (MB) to $capture.rss.
one_time() {
    local status=0
    "$out/rusage" "$out/time" "$@" >"$capture" 2>/dev/null || status=$?
    if [[ $status != 0 ]]; then echo "FAIL (exit $status)"; return; fi
    awk '{ printf "%.0f", $2 / 1024 }' "$out/time" >"$capture.rss"
    awk '{ printf ($1 < 0.1 ? "%.3f" : "%.2f"), $1 }' "$out/time"
}

# The better of two times so far ("" for none yet); a failure sticks.
better() {
    if [[ $1 == FAIL* || -z $2 ]]; then echo "$1"
    elif [[ -z $1 || $2 == FAIL* ]] || awk -v a="$2" -v b="$1" 'BEGIN { exit !(a < b) }'; then echo "$2"
    else echo "$1"; fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^FAIL/ || b ~ /^FAIL/ || b <= 0) print "-"; else printf "%.2f", a / b }'; }

rows=()
# Sums of log ratios and counts per group: integer and FP/SIMD kernels.
declare -A log_eq=() log_en=() n=() n_native=() present=()
for k in "${kernels[@]}"; do
    args=(${kernel_args[$k]:-})
    [[ $fp_simd_kernels == *" $k "* ]] && group=fp || group=int
    present[$group]=1
    # Best of $runs, the three interleaved: the machine's speed drifts (pointer_chase's 16 MiB walk runs 3x faster while
    # the host's shared cache is idle), and each program then sees the same spells. Each round starts with the next
    # program (native qemu emu, qemu emu native, ...): the one that runs after the other two ran slower.
    t_native="" t_qemu="" t_emu=""
    order=(native qemu emu)
    for ((r = 0; r < runs; r++)); do
        for ((j = 0; j < 3; j++)); do
            case ${order[(r + j) % 3]} in
                native) capture=$out/stdout/$k.native; t_native=$(better "$t_native" "$(one_time "$out/native/$k" "${args[@]}")") ;;
                qemu) capture=$out/stdout/$k.qemu; t_qemu=$(better "$t_qemu" "$(one_time qemu-aarch64 "$out/aarch64/$k" "${args[@]}")") ;;
                emu) capture=$out/stdout/$k.emu; t_emu=$(better "$t_emu" "$(one_time "$emu" "$out/aarch64/$k" "${args[@]}")") ;;
            esac
        done
    done
    note=""
    if [[ $t_emu != FAIL* ]] && ! cmp -s "$out/stdout/$k.emu" "$out/stdout/$k.qemu"; then
        note="output differs from qemu"; t_emu=FAIL
    fi
    # Native output differs only if the kernel is not portable; the checks in each kernel still apply.
    if [[ $t_native != FAIL* ]] && ! cmp -s "$out/stdout/$k.native" "$out/stdout/$k.qemu"; then
        note="${note:+$note; }native output differs from qemu"
    fi
    r_eq=$(ratio "$t_emu" "$t_qemu"); r_en=$(ratio "$t_emu" "$t_native")
    # The geometric means use the unrounded time ratios.
    if [[ $r_eq != - ]]; then
        log_eq[$group]=$(awk -v s="${log_eq[$group]:-0}" -v a="$t_emu" -v b="$t_qemu" 'BEGIN { print s + log(a / b) }')
        n[$group]=$((${n[$group]:-0} + 1))
    fi
    if [[ $r_en != - ]]; then
        log_en[$group]=$(awk -v s="${log_en[$group]:-0}" -v a="$t_emu" -v b="$t_native" 'BEGIN { print s + log(a / b) }')
        n_native[$group]=$((${n_native[$group]:-0} + 1))
    fi
    rows+=("| $k | $t_emu | $t_qemu | $t_native | $r_eq | $r_en | $note | $(cat "$out/stdout/$k.emu.rss" 2>/dev/null || echo -) | $(cat "$out/stdout/$k.qemu.rss" 2>/dev/null || echo -) |")
done

{
    echo "| kernel | emu-aarch64 s | qemu-aarch64 s | native s | emu/qemu | emu/native | note | emu RSS MB | qemu RSS MB |"
    echo "|---|---:|---:|---:|---:|---:|---|---:|---:|"
    printf '%s\n' "${rows[@]}"
    for group in int fp; do
        [[ -n ${present[$group]:-} ]] || continue
        [[ $group == int ]] && name=integer || name=FP/SIMD
        if ((${n[$group]:-0} > 0)); then
            awk -v a="${log_eq[$group]}" -v b="${log_en[$group]:-0}" -v n="${n[$group]}" -v m="${n_native[$group]:-0}" -v name="$name" \
                'BEGIN { printf "| geometric mean, %s (%d kernels) | | | | %.2f | %s | |\n", name, n, exp(a / n), (m > 0 ? sprintf("%.2f", exp(b / m)) : "-") }'
        else
            echo "| geometric mean, $name | | | | - | - | no kernel ran correctly under emu-aarch64 |"
        fi
    done
} | tee "$out/results.md"

# --- real programs from the Debian arm64 root (scripts/sysroot) ------------------------------------------
# CPU seconds for a lua and a python workload and 7-Zip's own benchmark rating (MIPS, higher is better), best of
# BENCH_RUNS each, and start-up wall times (median of 11, milliseconds, microsecond clock); peak RSS (MB) of the last run on each row.
root=.cache/sysroot-arm64
programs_md=$out/programs.md
: >"$programs_md"
if [[ -x $root/usr/bin/python3.11 && -x $root/usr/bin/7zz && -x $root/usr/bin/lua5.4 ]]; then
    export PYTHONDONTWRITEBYTECODE=1
    cat >"$out/work.lua" <<'LUA'
local t = {}
for i = 1, 200000 do t[i] = (i * 7919) % 100003 end
table.sort(t)
local s = 0
for i = 1, #t do s = s + math.sqrt(t[i]) * math.sin(i) end
local parts = {}
for i = 1, 20000 do parts[#parts + 1] = string.format("%d:%x", i, t[i]) end
print(#table.concat(parts, ","), string.format("%.6f", s))
LUA
    cat >"$out/work.py" <<'PY'
import json, hashlib, re
data = [{"id": i, "name": f"item{i}", "tags": [str(i % 7), str(i % 11)], "v": i * 0.5} for i in range(20000)]
text = json.dumps(data)
back = json.loads(text)
words = re.findall(r"item(\d+)", text)
print(len(back), len(words), hashlib.sha256(text.encode()).hexdigest()[:16], sum(d["v"] for d in back))
PY
    # one run: "CPU-seconds RSS-MB wall-ms", or FAIL
    one_run() {
        local status=0
        "$out/rusage" "$out/time" "$@" >"$out/prog.out" 2>/dev/null || status=$?
        if [[ $status != 0 ]]; then echo "FAIL FAIL FAIL"; return; fi
        awk '{ printf "%.2f %.0f %.1f\n", $1, $2 / 1024, $3 * 1000 }' "$out/time"
    }
    # median wall ms of 11 runs, and the RSS of the last
    startup() {
        local walls=() r
        for i in $(seq 11); do r=$(one_run "$@"); walls+=("${r##* }"); done
        [[ ${walls[*]} == *FAIL* ]] && { echo "FAIL FAIL"; return; }
        echo "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 6p) $(echo "$r" | cut -d' ' -f2)"
    }
    rating() { # 7-Zip benchmark: the total rating (MIPS) is the last number of the "Tot:" line
        "$@" b -mmt1 -md18 2>/dev/null | awk '/^Tot:/ { print $NF }'
    }
    {
        echo "| workload | emu-aarch64 | qemu-aarch64 | native | emu/qemu | emu RSS MB | qemu RSS MB |"
        echo "|---|---:|---:|---:|---:|---:|---:|"
        # Best of $runs each, the two emulators' runs alternating (the one to start changes every round), as for the kernels.
        for w in lua python; do
            if [[ $w == lua ]]; then args=("$root/usr/bin/lua5.4" "$out/work.lua"); else args=("$root/usr/bin/python3.11" "$out/work.py"); fi
            e_cpu="" q_cpu=""
            for ((r = 0; r < runs; r++)); do
                for who in $( ((r % 2)) && echo "qemu emu" || echo "emu qemu"); do
                    if [[ $who == emu ]]; then
                        read -r t e_rss _ < <(one_run "$emu" -L "$root" "${args[@]}"); e_cpu=$(better "$e_cpu" "$t")
                    else
                        read -r t q_rss _ < <(one_run qemu-aarch64 -L "$root" "${args[@]}"); q_cpu=$(better "$q_cpu" "$t")
                    fi
                    cp "$out/prog.out" "$out/$w.$who.out"
                done
            done
            # The workloads print what they computed: emu's output must be qemu's, byte for byte.
            if [[ $e_cpu != FAIL* ]] && ! cmp -s "$out/$w.emu.out" "$out/$w.qemu.out"; then
                echo "bench/compare.sh: $w workload: output differs from qemu" >&2
                e_cpu=FAIL
            fi
            echo "| $w workload (CPU s) | $e_cpu | $q_cpu | | $(ratio "$e_cpu" "$q_cpu") | $e_rss | $q_rss |"
        done
        # The rating is from wall time: the best (highest) of $runs, alternating as above.
        e_r="" q_r=""
        for ((r = 0; r < runs; r++)); do
            for who in $( ((r % 2)) && echo "qemu emu" || echo "emu qemu"); do
                if [[ $who == emu ]]; then t=$(rating "$emu" -L "$root" "$root/usr/bin/7zz"); else t=$(rating qemu-aarch64 -L "$root" "$root/usr/bin/7zz"); fi
                [[ -z $t ]] && continue
                if [[ $who == emu ]]; then ((${e_r:-0} >= t)) || e_r=$t; else ((${q_r:-0} >= t)) || q_r=$t; fi
            done
        done
        n_r=$(command -v 7zz >/dev/null && rating 7zz || true)
        echo "| 7zz b -mmt1 -md18 (rating MIPS, higher is better) | ${e_r:-FAIL} | ${q_r:-FAIL} | ${n_r:--} | $(ratio "${e_r:-FAIL}" "${q_r:-FAIL}") | | |"
        for s in hello true ls python; do
            case $s in
                hello) args=(testbins/prebuilt/hello) ;;
                true) args=(-L "$root" "$root/bin/true") ;;
                ls) args=(-L "$root" "$root/bin/ls" /) ;;
                python) args=(-L "$root" "$root/usr/bin/python3.11" -c pass) ;;
            esac
            read -r e_ms e_rss < <(startup "$emu" "${args[@]}")
            read -r q_ms q_rss < <(startup qemu-aarch64 "${args[@]}")
            echo "| start-up: $s (median wall ms of 11) | $e_ms | $q_ms | | $(ratio "$e_ms" "$q_ms") | $e_rss | $q_rss |"
        done
    } | tee "$programs_md"
else
    echo "bench/compare.sh: no $root with python3.11, lua5.4 and 7zz (scripts/sysroot): real-program rows skipped" >&2
fi

# The committed report is only rewritten by a full run (all default kernels).
if (($# == 0)); then
    { echo "CPU seconds (user + sys), best of $runs run(s), $(date -u +%Y-%m-%d), $(nproc) host cores."; echo; cat "$out/results.md"; } >bench/results.md
    /usr/bin/python3 bench/chart.py bench/results.md bench/results.png || echo "bench/compare.sh: no chart (python3-matplotlib missing?)" >&2
    if [[ -s $programs_md ]]; then
        { echo; echo "Real programs from the Debian arm64 root (best of $runs run(s) each, start-up: median of 11; ratio emu/qemu: for the rating, below 1 is slower)."; echo; cat "$programs_md"; } >>bench/results.md
    fi
fi
