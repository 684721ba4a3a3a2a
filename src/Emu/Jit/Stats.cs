using System.Diagnostics;

namespace Emu.Jit;

/// <summary>
/// Counters for tuning, enabled by EMU_STATS=1 and printed to stderr at exit; when disabled each
/// counting site costs one test of a static readonly bool, which RyuJIT folds away.
/// </summary>
public static class Stats
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("EMU_STATS") == "1";

    public static long BlocksTranslated, ColdExecutions, Tier1Compiles, RegionCompiles, CompileTicks, DispatchIterations, LinkMisses, ChainedTransfers, BlocksInvalidated, CacheFlushes;

    public static void Count(ref long counter) => Interlocked.Increment(ref counter);

    static Stats()
    {
        if (Enabled) AppDomain.CurrentDomain.ProcessExit += (_, _) => Print(Console.Error);
    }

    public static void Print(TextWriter w) => w.WriteLine(
        $"emu stats: blocks translated {BlocksTranslated}, cold-tier executions {ColdExecutions}, " +
        $"Tier 1 compiles {Tier1Compiles} (regions {RegionCompiles}, {CompileTicks * 1000.0 / Stopwatch.Frequency:F1} ms), " +
        $"IL rejected {IlCompiler.Fallbacks}, dispatcher iterations {DispatchIterations}, chained transfers {ChainedTransfers}, link misses {LinkMisses}, " +
        $"code invalidations {BlocksInvalidated}, code cache flushes {CacheFlushes}; " +
        // Methods RyuJIT compiled (translator code ReadyToRun did not cover, plus Tier 1 DynamicMethods): start-up cost.
        $"host JIT {System.Runtime.JitInfo.GetCompiledMethodCount()} methods, {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F1} ms; " +
        // Managed allocation and collections: the cold path's churn.
        $"GC {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} (gen0/1/2), {GC.GetTotalAllocatedBytes() >> 20} MB allocated, " +
        $"heap {GC.GetGCMemoryInfo().HeapSizeBytes >> 20} MB, GC pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms");
}
