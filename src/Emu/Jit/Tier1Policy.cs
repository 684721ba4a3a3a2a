using System.Diagnostics;

namespace Emu.Jit;

/// <summary>
/// The Tier 1 requests waiting for the compile thread, and which of them to compile next. A compile costs the
/// compile thread about 8 µs per IR instruction (RyuJIT's time grows with the IL) plus a fixed part; a block
/// run in Tier 1 instead of the cold tier saves its dispatch and some ns per IR instruction. A block that
/// reached the threshold is worth that only if it keeps running: each request's run rate is measured (at
/// first its average since translation, then sampled while it waits, older samples decaying) and it is
/// compiled when rate × horizon × saving covers the cost of the region it heads. The horizon is how long
/// the program has run so far (one that ran 2 s will likely run a while more; start-up code at 0.1 s must
/// pay back quickly). Among those that pay, the one that pays back fastest goes first. A request that does
/// not pay within its patience (its block went cold, or runs too rarely) is dropped; its block asks again
/// once it has run as often again as it had. Used by the compile thread only (tests drive it with their own clock).
/// </summary>
internal sealed class Tier1Policy(long startedAt, bool unconditional, Func<ulong, TranslatedBlock?>? lookup, int maxRegionBlocks, int maxRegionInstructions, int recompileGrowth)
{
    /// <summary>Sample interval of a waiting request's rate (ms).</summary>
    public const int SampleMilliseconds = 1;

    /// <summary>A sample covering this long replaces the rate; shorter ones are averaged in by their length (ms).</summary>
    private const double DecayMilliseconds = 8;

    /// <summary>How long a request that does not yet pay may wait before it is dropped (ms).</summary>
    public const double PatienceMilliseconds = 20;

    /// <summary>The horizon's bounds (s): at least this long for start-up, at most this long however long the program has run.</summary>
    private const double MinHorizonSeconds = 0.1, MaxHorizonSeconds = 4;

    /// <summary>
    /// Compile-thread ns per compile and per IR instruction (least-squares fit of EMU_STATS=regions over the
    /// python and lua workloads' 550 compiles: 0.66 ms + 8.3 µs per IR instruction).
    /// </summary>
    private const double CompileFixedNs = 650_000, CompilePerIrNs = 8_000;

    /// <summary>ns saved per run of a block in Tier 1 rather than the cold tier: its dispatch, and per IR instruction.</summary>
    private const double SavingPerBlockNs = 25, SavingPerIrNs = 1.7;

    /// <summary>A member counts at most this many runs per run of the head (an inner loop).</summary>
    private const double MaxMemberWeight = 64;

    /// <summary>
    /// How many times the estimated saving must cover the cost (EMU_TIER1_PAYBACK overrides). The cost is certain,
    /// the saving a guess from a horizon as long as the program has run: with 1, `python3 -c pass` compiled ~45
    /// regions that its remaining 0.2 s did not pay back (its CPU time 0.74 s, 0.60 s with no Tier 1 at all, 0.63 s
    /// with 3); the python and lua workloads and the kernels measured the same with 3 as with 1.
    /// </summary>
    internal const double DefaultPayback = 3;

    private static readonly double s_payback = double.TryParse(Environment.GetEnvironmentVariable("EMU_TIER1_PAYBACK"),
        System.Globalization.CultureInfo.InvariantCulture, out double p) && p > 0 ? p : DefaultPayback;

    private readonly List<Request> _pending = [];

    /// <summary>A waiting block and what has been measured of it: how fast it still runs, what its region would cost.</summary>
    private sealed class Request
    {
        public readonly TranslatedBlock Block;
        public readonly long RequestedAt;
        /// <summary>A region rebuild: its rate is of exits from the region's code, not of cold-tier runs.</summary>
        public readonly bool Recompile;
        public long SampledAt;
        public int SampledCount;
        /// <summary>Runs (exits) per second.</summary>
        public double Rate;
        /// <summary>Estimated compile-thread ns for the region, and ns saved per run of the head (0 until estimated).</summary>
        public double CostNs, SavingPerRunNs;

        public Request(TranslatedBlock block, long now)
        {
            Block = block;
            RequestedAt = SampledAt = now;
            Recompile = block.RecompileWanted;
            SampledCount = Count;
            // A rebuild's exit rate is only known from samples; a cold block's average since translation lets a
            // hot loop be compiled without waiting for one.
            Rate = Recompile ? 0 : block.ExecutionCount / Math.Max((now - block.TranslatedAt) / (double)Stopwatch.Frequency, 1e-6);
        }

        public int Count => Recompile ? Block.RegionExits : Block.ExecutionCount;
    }

    public int Count => _pending.Count;

    public void Add(TranslatedBlock block, long now) => _pending.Add(new Request(block, now));

    /// <summary>The block to compile now (no longer pending), or null; drops the requests that will not pay.</summary>
    public TranslatedBlock? TakeNext(long now) => TakeNext(now, out _);

    /// <summary>
    /// <see cref="TakeNext(long)"/>, and <paramref name="runsAhead"/>: how often the block is expected to run
    /// from now (0: not estimated).
    /// </summary>
    public TranslatedBlock? TakeNext(long now, out double runsAhead)
    {
        runsAhead = 0;
        double ticksPerSecond = Stopwatch.Frequency;
        double horizon = Math.Clamp((now - startedAt) / ticksPerSecond, MinHorizonSeconds, MaxHorizonSeconds);
        Request? best = null;
        double bestScore = -1;
        for (int i = _pending.Count - 1; i >= 0; i--)
        {
            var r = _pending[i];
            var b = r.Block;
            // Already running as an entry of a region compiled since it was queued, or its code changed.
            if (b.Invalidated || (b.Compiled != null && !b.RecompileWanted))
            {
                _pending.RemoveAt(i);
                continue;
            }
            double score;
            if (unconditional) score = double.MaxValue;
            else
            {
                double seconds = (now - r.SampledAt) / ticksPerSecond;
                if (seconds * 1000 >= SampleMilliseconds)
                {
                    int count = r.Count;
                    double weight = Math.Min(1, seconds * 1000 / DecayMilliseconds);
                    r.Rate = weight * ((count - r.SampledCount) / seconds) + (1 - weight) * r.Rate;
                    r.SampledAt = now;
                    r.SampledCount = count;
                }
                if (r.CostNs == 0) Estimate(r, r.Rate * horizon);
                double saving = r.Rate * horizon * r.SavingPerRunNs;
                if (saving < r.CostNs * s_payback)
                {
                    if ((now - r.RequestedAt) / ticksPerSecond * 1000 >= PatienceMilliseconds) Drop(i);
                    continue;
                }
                score = saving / r.CostNs;
            }
            if (score > bestScore)
            {
                best = r;
                bestScore = score;
            }
        }
        if (best == null) return null;
        _pending.Remove(best);
        if (!unconditional && !best.Recompile) runsAhead = best.Rate * horizon;
        return best.Block;
    }

    /// <summary>The cost and per-run saving of compiling <paramref name="r"/>'s block, from the region it would head now.</summary>
    private void Estimate(Request r, double runsAhead)
    {
        var head = r.Block;
        if (r.Recompile)
        {
            // An exit that the rebuilt region keeps inside saves about a dispatch and a block's run elsewhere;
            // the rebuild may grow to Tier1Compiler.GrowthOf times the current region.
            r.CostNs = CompileFixedNs + CompilePerIrNs * Tier1Compiler.GrowthOf(head, maxRegionInstructions, recompileGrowth)
                * (head.RegionMembers is { } regionMembers ? Tier1Compiler.IrInstructions(regionMembers) : head.IrInstructionCount);
            r.SavingPerRunNs = 2 * SavingPerBlockNs;
            return;
        }
        var members = lookup != null && !head.InRegion ? RegionBuilder.Collect(head, lookup, maxRegionBlocks, maxRegionInstructions, runsAhead) : null;
        double headRuns = Math.Max(1, head.ExecutionCount), irTotal = 0, saving = 0;
        foreach (var m in members ?? [head])
        {
            // Compiled members no longer count their runs: they were hot, count them once per head run.
            double weight = m == head || m.Compiled != null ? 1 : Math.Min(m.ExecutionCount / headRuns, MaxMemberWeight);
            irTotal += m.IrInstructionCount;
            saving += weight * (SavingPerBlockNs + SavingPerIrNs * m.IrInstructionCount);
        }
        r.CostNs = CompileFixedNs + CompilePerIrNs * irTotal;
        r.SavingPerRunNs = saving;
    }

    /// <summary>
    /// Forgets the request: its block asks again only after running as often again as it had (it went cold, or
    /// runs too rarely to pay); a region, after as many exits again.
    /// </summary>
    private void Drop(int index)
    {
        var r = _pending[index];
        var b = r.Block;
        _pending.RemoveAt(index);
        if (r.Recompile)
        {
            // Its code does not leave it often enough to pay for a rebuild: count the exits afresh.
            b.RecompileWanted = false;
            b.Recompiles--;
            b.RegionExits = 0;
        }
        int count = b.ExecutionCount;
        b.TierUpAt = count > int.MaxValue / 2 ? int.MaxValue : count * 2;
        Volatile.Write(ref b.CompileQueued, 0);
        if (Stats.Enabled) Stats.Count(ref Stats.Tier1RequestsDropped);
    }
}
