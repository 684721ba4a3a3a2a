using System.Runtime.InteropServices;
using System.Diagnostics;

namespace Emu.Jit;

/// <summary>
/// Counters for tuning, enabled by EMU_STATS=1 and printed to stderr at exit; when disabled each
/// counting site costs one test of a static readonly bool, which RyuJIT folds away.
/// </summary>
public static partial class Stats
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("EMU_STATS") is "1" or "regions" or "transfers";

    /// <summary>EMU_STATS=transfers: also the hottest direct transfers between Tier 1 methods (region head, exit, target).</summary>
    public static readonly bool PerTransfer = Environment.GetEnvironmentVariable("EMU_STATS") == "transfers";

    // In its own class, made on first use: this Dictionary instantiation is not in the ReadyToRun image, and as a
    // field of Stats it was JIT-compiled at every start.
    private static class Transfers
    {
        public static readonly Dictionary<(ulong Head, int Exit, ulong Target), long> Counts = [];
    }

    /// <summary>Counts one direct transfer (EMU_STATS=transfers; called from the IL of every transfer tail).</summary>
    public static void CountTransfer(ulong head, int exit, ulong target)
    {
        var counts = Transfers.Counts;
        lock (counts) counts[(head, exit, target)] = counts.GetValueOrDefault((head, exit, target)) + 1;
    }

    private static void PrintTransfers(TextWriter w)
    {
        var counts = Transfers.Counts;
        lock (counts)
        {
            w.WriteLine("transfer: count head exit target");
            foreach (var (key, count) in counts.OrderByDescending(p => p.Value).Take(60))
                w.WriteLine($"transfer: {count} {key.Head:x} {key.Exit} {key.Target:x}");
        }
    }

    /// <summary>EMU_STATS=regions: also one line per Tier 1 compile (see <see cref="RecordCompile"/>).</summary>
    public static readonly bool PerRegion = Environment.GetEnvironmentVariable("EMU_STATS") == "regions";

    public static long BlocksTranslated, ColdExecutions, Tier1Compiles, RegionCompiles, CompileTicks, DispatchIterations, LinkMisses, ChainedTransfers, DirectTransfers, ReturnPredictions, BlocksInvalidated, CacheFlushes, Tier1Requests, Tier1RequestsDropped;
    // Guest-thread time making cold blocks: decode + IR, passes, cold-tier preparation (Stopwatch ticks).
    public static long TranslateTicks, OptimizeTicks, PrepareTicks;
    // Building the encoding table and the decoder's buckets (once per process, first dispatcher).
    public static long DecoderBuildTicks;

    public static void Count(ref long counter) => Interlocked.Increment(ref counter);

    /// <summary>Compile-thread CPU time (ns): wall time on a loaded machine would count other processes.</summary>
    public static unsafe long ThreadCpuNanoseconds()
    {
        long* ts = stackalloc long[2];
        Linux.Native.LibC.SyscallRaw(Linux.Native.HostSyscall.ClockGettime, 3 /* CLOCK_THREAD_CPUTIME_ID */, (long)ts);
        return ts[0] * 1_000_000_000 + ts[1];
    }

    /// <summary>One Tier 1 compile: what it held and cost, and (filled in while it runs) how often its code ran.</summary>
    public sealed class CompileRecord
    {
        public ulong HeadPc;
        public int Blocks, IrInstructions, IrAlreadyCompiled, IlBytes, Exits, Recompile;
        public double IrMs, CompileMs;
        /// <summary>The head's expected runs from the request (Tier1Policy; 0: not estimated).</summary>
        public double RunsAhead;
        public long QueuedAtExecutions;
        public TranslatedBlock? Head;
        /// <summary>Later regions that hold this head as a member (their code runs through it without entering this one).</summary>
        public int Absorbed;
    }

    private static readonly List<CompileRecord> s_compiles = [];

    public static void RecordCompile(CompileRecord r, TranslatedBlock[]? members)
    {
        lock (s_compiles)
        {
            if (members != null)
                foreach (var m in members)
                    if (m != r.Head && s_compiles.FindLast(c => c.Head == m) is { } earlier) earlier.Absorbed++;
            s_compiles.Add(r);
        }
    }

    static Stats()
    {
        if (Enabled) AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (PerRegion) PrintCompiles(Console.Error);
            if (PerTransfer) PrintTransfers(Console.Error);
            Print(Console.Error);
        };
    }

    private static void PrintCompiles(TextWriter w)
    {
        lock (s_compiles)
        {
            w.WriteLine("tier1: head blocks ir il exits ir-ms compile-ms runs (entries into its code) recompile absorbed (later regions holding its head) ir-already-compiled runs-ahead");
            foreach (var r in s_compiles)
                w.WriteLine($"tier1: {r.HeadPc:x} {r.Blocks} {r.IrInstructions} {r.IlBytes} {r.Exits} {r.IrMs:F2} {r.CompileMs:F2} {r.Head?.Tier1Runs} {r.Recompile} {r.Absorbed} {r.IrAlreadyCompiled} {r.RunsAhead:F0}");
            w.WriteLine($"tier1: {s_compiles.Count} compiles, {s_compiles.Sum(r => r.CompileMs + r.IrMs):F1} ms compile-thread CPU, IL {s_compiles.Sum(r => (long)r.IlBytes)} bytes");
        }
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public static void Print(TextWriter w) => w.WriteLine(
        $"emu stats: blocks translated {BlocksTranslated}, cold-tier executions {ColdExecutions}, " +
        $"Tier 1 requests {Tier1Requests} (dropped {Tier1RequestsDropped}), compiles {Tier1Compiles} (regions {RegionCompiles}, {CompileTicks * 1000.0 / Stopwatch.Frequency:F1} ms), " +
        $"IL rejected {IlCompiler.Fallbacks}, dispatcher iterations {DispatchIterations}, chained transfers {ChainedTransfers} (direct {DirectTransfers}, predicted returns {ReturnPredictions}), link misses {LinkMisses}, " +
        $"decoder build {Ms(DecoderBuildTicks):F1} ms, translation {Ms(TranslateTicks):F1} ms + passes {Ms(OptimizeTicks):F1} ms + preparation {Ms(PrepareTicks):F1} ms, " +
        $"code invalidations {BlocksInvalidated}, code cache flushes {CacheFlushes}; " +
        // Methods RyuJIT compiled (translator code ReadyToRun did not cover, plus Tier 1 DynamicMethods): start-up cost.
        $"host JIT {System.Runtime.JitInfo.GetCompiledMethodCount()} methods, {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F1} ms; " +
        // Managed allocation and collections: the cold path's churn.
        $"GC {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} (gen0/1/2), {GC.GetTotalAllocatedBytes() >> 20} MB allocated, " +
        $"{HeapSummary()}, " +
        $"GC pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms; malloc {MallocSummary()}; peak RSS {PeakRssKilobytes() >> 10} MB");

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallInfo2 MallInfo();

    /// <summary>glibc malloc (the runtime's and RyuJIT's native memory): in use and free in its arenas, and mmapped.</summary>
    private static string MallocSummary()
    {
        try
        {
            var m = MallInfo();
            return $"{m.UordBlks >> 20} MB in use, {m.FordBlks >> 20} MB free, {m.HBlkHd >> 20} MB mmapped";
        }
        catch (EntryPointNotFoundException) { return "?"; }
    }

    /// <summary>The managed heap after the last GC: its size, gen0/gen1/gen2/LOH/POH in KB, and the memory committed for it.</summary>
    private static string HeapSummary()
    {
        var info = GC.GetGCMemoryInfo();
        string generations = string.Join("/", info.GenerationInfo.ToArray().Select(g => g.SizeAfterBytes >> 10));
        return $"heap {info.HeapSizeBytes >> 20} MB ({generations} KB after the last GC), committed {info.TotalCommittedBytes >> 20} MB";
    }

    /// <summary>VmHWM of this process (what /usr/bin/time reports as maximum resident set size).</summary>
    private static long PeakRssKilobytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim());
        }
        catch (IOException) { }
        return 0;
    }
}
