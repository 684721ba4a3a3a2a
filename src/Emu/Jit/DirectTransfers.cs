using System.Runtime.CompilerServices;
using Emu.Cpu;
using Emu.Linux.Signals;

namespace Emu.Jit;

/// <summary>
/// Transfers from one Tier 1 method straight into the next without returning to Dispatcher.Run. At an exit
/// the IL asks <see cref="NextCode"/> for the successor's code and tail-calls it (a jmp on x64: both have the
/// signature (closure, CpuContext*) → ulong); null sends the exit back to the dispatcher as before. The
/// successor comes from the exit's link (TranslatedBlock.ExitLinks, filled by the dispatcher) or, for
/// indirect branches and returns whose targets the region builder already knows, from the jump cache.
/// Code takes part once the dispatcher has bound its closure (IlCompiler.ClosureTarget.Block) at its first
/// link miss, which it does only when it need not see every block (no GDB stepping, no -d exec).
/// Every transfer stores the entered block's PC in CpuContext.RunningPc: the dispatcher reads it to link
/// the exit that finally returns and to replay a fault against the block that faulted.
/// </summary>
public static unsafe class DirectTransfers
{
    /// <summary>
    /// Where an exit of one method went on to directly: the PC and the code, valid while <see cref="Epoch"/> is
    /// unchanged. Immutable, so a thread reading a slot another thread rewrites sees one whole link.
    /// </summary>
    public sealed class Link(ulong pc, BlockCode code, int epoch)
    {
        public readonly ulong Pc = pc;
        public readonly BlockCode Code = code;
        public readonly int Epoch = epoch;
    }

    /// <summary>Link slots per method (a power of two; higher exit numbers share slots).</summary>
    public const int LinkSlots = 32;

    /// <summary>The links of code not bound yet: never written, always missing.</summary>
    internal static readonly Link?[] NoLinks = new Link?[LinkSlots];

    /// <summary>Direct transfers between two counts into the region's exits (the recompile trigger).</summary>
    internal const int ExitBatch = 256;

    /// <summary>
    /// Changes whenever a block is invalidated or its code replaced: every link made before is stale, so links
    /// need no unlinking (the inline check compares the link's epoch; the IL reads this field).
    /// </summary>
    public static int Epoch;

    /// <summary>
    /// Per return site (a call exit of some compiled code, numbered at compile time from 1): the code that
    /// ran at its return PC last time. Grown by copying; the IL reads the field at each use.
    /// </summary>
    public static Link?[] ReturnLinks = new Link?[256];

    private static int s_returnSites;
    private static readonly Lock s_returnSitesLock = new();

    /// <summary>Return sites numbered at most: past that, calls push no prediction (0).</summary>
    private const int MaxReturnSites = 1 << 20;

    /// <summary>A new return site's number, or 0 when there are too many.</summary>
    internal static int NewReturnSite()
    {
        lock (s_returnSitesLock)
        {
            if (s_returnSites + 1 >= MaxReturnSites) return 0;
            int site = ++s_returnSites;
            if (site >= ReturnLinks.Length)
            {
                var grown = new Link?[ReturnLinks.Length * 2];
                Array.Copy(ReturnLinks, grown, ReturnLinks.Length);
                ReturnLinks = grown;
            }
            return site;
        }
    }

    /// <summary>Called after a block was invalidated or given new code.</summary>
    public static void CodeChanged() => Interlocked.Increment(ref Epoch);

    /// <summary>
    /// The code to continue in after exit <paramref name="exit"/> of the code closed over <paramref name="from"/>
    /// left for <paramref name="pc"/>, or null to return to the dispatcher. Only fault-clean code is entered
    /// (the context holds its start state until it exits, which the fault replay relies on), and nothing is
    /// entered while a signal, a guest exit or a request to leave regions waits.
    /// </summary>
    // JIT-compiled, not precompiled: ReadyToRun code reaches other classes' statics through helper stubs.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static BlockCode? NextCode(IlCompiler.ClosureTarget from, int exit, ulong pc, CpuContext* ctx)
    {
        // A predicted return found its site's link stale: refresh it below (read and cleared at every call).
        int returnSite = ctx->ReturnSiteMiss;
        ctx->ReturnSiteMiss = 0;
        var src = from.Block;
        if (src == null) return null;
        // Read before the checks below: an invalidation after them changes the epoch the link is made with.
        int epoch = Volatile.Read(ref Epoch);
        bool linked = true;
        if (ctx->Exit != ExitReason.None || ctx->SignalAttention != 0 || *HostSignals.Pending != 0) return null;
        var next = src.ExitLinks![exit & (TranslatedBlock.ExitLinkSlots - 1)];
        if (next == null || next.LinkPc != pc)
        {
            next = IndirectTarget(from, src, exit, pc);
            if (next == null) return null;
            // An indirect branch with changing targets: no link for each of them.
            linked = false;
        }
        var code = next.Compiled;
        if (code == null || !next.FaultClean) return null;
        int exits = 1;
        if (from.ExitBudget < 0)
        {
            // The inline path used up its budget: its transfers count now.
            exits += ExitBatch;
            from.ExitBudget = ExitBatch;
        }
        if (src.RegionMembers != null) from.Owner!.CountRegionExits(src, exits);
        // (Also called when the exit budget ran out with the link still good: no new one then.)
        if (linked && from.Links != NoLinks) Refresh(ref from.Links[exit & (LinkSlots - 1)], pc, code, epoch);
        if (returnSite != 0)
        {
            var sites = ReturnLinks;
            if ((uint)returnSite < (uint)sites.Length) Refresh(ref sites[returnSite], pc, code, epoch);
        }
        ctx->RunningPc = pc;
        if (Stats.Enabled)
        {
            Stats.ChainedTransfers++;
            Stats.DirectTransfers++;
            (next.EntryOf ?? next).Tier1Runs++;
        }
        return code;
    }

    private static void Refresh(ref Link? slot, ulong pc, BlockCode code, int epoch)
    {
        var l = slot;
        if (l == null || l.Pc != pc || l.Code != code || l.Epoch != epoch) slot = new Link(pc, code, epoch);
    }

    /// <summary>
    /// An indirect exit (BR, BLR, RET) whose link holds another target: the jump cache's block, once the
    /// dispatcher has recorded this target for the region builder (or the branch's record is full).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static TranslatedBlock? IndirectTarget(IlCompiler.ClosureTarget from, TranslatedBlock src, int exit, ulong pc)
    {
        TranslatedBlock? owner;
        if (src.RegionMembers == null) owner = src.TerminatorOp == IR.IrOp.JumpIndirect ? src : null;
        else owner = src.IndirectExitOwners is { } owners && (uint)exit < (uint)owners.Length ? owners[exit] : null;
        if (owner == null || !owner.KnowsIndirectTarget(pc)) return null;
        if (Stats.Enabled) Stats.LinkMisses++;
        return from.Owner!.Cache.Probe(pc);
    }
}
