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
/// </summary>
public static unsafe class DirectTransfers
{
    /// <summary>The guest thread's dispatcher loop as the transfers see it.</summary>
    internal sealed class ThreadState(Dispatcher owner, CodeCache cache, bool enabled)
    {
        public readonly Dispatcher Owner = owner;
        public readonly CodeCache Cache = cache;
        /// <summary>False while the dispatcher must see every block (GDB stepping, -d exec).</summary>
        public readonly bool Enabled = enabled;
        /// <summary>
        /// The block whose code runs now: set by the dispatcher before it calls code and by every direct
        /// transfer, so the dispatcher links the exit that returned and replays a fault against the right block.
        /// </summary>
        public TranslatedBlock? Current;
    }

    [ThreadStatic] private static ThreadState? t_state;

    internal static ThreadState? Enter(ThreadState state)
    {
        var previous = t_state;
        t_state = state;
        return previous;
    }

    internal static void Leave(ThreadState? previous) => t_state = previous;

    /// <summary>
    /// The code to continue in after exit <paramref name="exit"/> of the code closed over <paramref name="from"/>
    /// left for <paramref name="pc"/>, or null to return to the dispatcher. Only fault-clean code is entered
    /// (the context holds its start state until it exits, which the fault replay relies on), and nothing is
    /// entered while a signal, a guest exit or a request to leave regions waits.
    /// </summary>
    internal static BlockCode? NextCode(IlCompiler.ClosureTarget from, int exit, ulong pc, CpuContext* ctx)
    {
        var src = from.Block;
        var st = t_state;
        if (src == null || st == null || !st.Enabled) return null;
        if (ctx->Exit != ExitReason.None || ctx->SignalAttention != 0 || *HostSignals.Pending != 0 || IlCompiler.LeaveRegionsRequested != 0) return null;
        var links = src.ExitLinks;
        if (links == null) return null;
        var next = links[exit & (TranslatedBlock.ExitLinkSlots - 1)];
        if (next == null || next.StartPc != pc || next.Invalidated)
        {
            next = IndirectTarget(src, exit, pc, st);
            if (next == null) return null;
        }
        var code = next.Compiled;
        if (code == null || !next.FaultClean) return null;
        if (src.RegionMembers != null)
        {
            var head = src.EntryOf ?? src;
            if (++head.RegionExits == Dispatcher.RecompileAfterExits) st.Owner.RequestRecompile(head);
        }
        st.Current = next;
        if (Stats.Enabled)
        {
            Stats.ChainedTransfers++;
            Stats.DirectTransfers++;
            (next.EntryOf ?? next).Tier1Runs++;
        }
        return code;
    }

    /// <summary>
    /// An indirect exit (BR, BLR, RET) whose link holds another target: the jump cache's block, once the
    /// dispatcher has recorded this target for the region builder (or the branch's record is full).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TranslatedBlock? IndirectTarget(TranslatedBlock src, int exit, ulong pc, ThreadState st)
    {
        TranslatedBlock? owner;
        if (src.RegionMembers == null) owner = src.TerminatorOp == IR.IrOp.JumpIndirect ? src : null;
        else owner = src.IndirectExitOwners is { } owners && (uint)exit < (uint)owners.Length ? owners[exit] : null;
        if (owner == null || !owner.KnowsIndirectTarget(pc)) return null;
        if (Stats.Enabled) Stats.LinkMisses++;
        return st.Cache.Probe(pc);
    }
}
