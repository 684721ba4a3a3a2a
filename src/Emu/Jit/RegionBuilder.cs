using Emu.IR;

namespace Emu.Jit;

/// <summary>
/// Chooses the blocks of a Tier 1 region: the hot block and the already translated blocks reachable
/// from it through direct branches (loop bodies, the rest of a function), breadth first, within caps.
/// </summary>
public static class RegionBuilder
{
    /// <summary>
    /// The region's blocks with <paramref name="head"/> first, or null when nothing joins it. With
    /// <paramref name="headRunsAhead"/> (the runs the head is expected to make from now, Tier1Policy), a member
    /// must also be expected to run often enough to pay for its own share of the compile.
    /// </summary>
    public static TranslatedBlock[]? Collect(TranslatedBlock head, Func<ulong, TranslatedBlock?> lookup, int maxBlocks, int maxInstructions, double headRunsAhead = 0)
    {
        int initialMaxBlocks = maxBlocks, initialMaxInstructions = maxInstructions;
        var members = new List<TranslatedBlock> { head };
        var seen = new HashSet<ulong> { head.StartPc };
        int size = head.IrInstructionCount;
        // Blocks that ran much less often than the head are a cold path (error handling, a loop's rare case):
        // compiling them costs RyuJIT time in proportion to their IL and saves little; they stay exits.
        int minHeat = head.ExecutionCount / MinHeatDivisor;
        // A lukewarm head: its members' runs from now scale with theirs so far; one below MemberPaysAfterRuns adds
        // more compile time than it saves.
        if (headRunsAhead > 0)
            minHeat = (int)Math.Min(int.MaxValue, Math.Max(minHeat, head.ExecutionCount * (MemberPaysAfterRuns / headRunsAhead)));
        for (int i = 0; i < members.Count && members.Count < maxBlocks; i++)
        {
            // The stored terminator: reading .Ir would rebuild every candidate's IR.
            var m = members[i];
            switch (m.TerminatorOp)
            {
                case IrOp.Jump:
                    Add(m.TerminatorImm);
                    break;
                case IrOp.Branch:
                    Add(m.TerminatorImm);
                    Add(m.TerminatorImm2);
                    break;
                case IrOp.JumpIndirect:
                    // Where BR/BLR/RET went so far (a jump table's handlers, a callee, a return site): the IL
                    // compares the target with these and stays in the method on a match. An interpreter's
                    // handlers (a jump table: many targets) together are larger than a loop body: such a
                    // region may grow further. (A return's few targets do not count: it would grow every region; nor
                    // do a BLR's: a call through a function pointer (a C interpreter's type slots) is no dispatch
                    // loop, and growing every region that makes one tripled the IL of lukewarm code.)
                    var targets = IndirectTargets(members[i]);
                    if (targets.Length >= JumpTableTargets && !members[i].IndirectIsReturn && !EndsInCall(members[i]))
                    {
                        maxBlocks = Math.Max(maxBlocks, initialMaxBlocks * IndirectGrowth / 2);
                        maxInstructions = Math.Max(maxInstructions, initialMaxInstructions * IndirectGrowth);
                    }
                    foreach (ulong pc in targets) Add(pc);
                    break;
            }
        }
        // A lone block that branches to itself is still a loop worth keeping in registers.
        return members.Count > 1 || BranchesTo(head, head.StartPc) ? members.ToArray() : null;

        static bool BranchesTo(TranslatedBlock b, ulong pc) =>
            b.TerminatorOp == IrOp.Jump ? b.TerminatorImm == pc : b.TerminatorOp == IrOp.Branch && (b.TerminatorImm == pc || b.TerminatorImm2 == pc);

        void Add(ulong pc)
        {
            if (members.Count >= maxBlocks || !seen.Add(pc)) return;
            // Only code that ran: never-executed paths stay out of the compile.
            var b = lookup(pc);
            if (b == null || b.Invalidated || size + b.IrInstructionCount > maxInstructions) return;
            // Compiled code no longer counts its runs; it was hot enough once.
            if (b.ExecutionCount < minHeat && b.Compiled == null) return;
            size += b.IrInstructionCount;
            members.Add(b);
        }
    }

    /// <summary>True if the block ends in BLR (an indirect call).</summary>
    private static bool EndsInCall(TranslatedBlock b) => b.GuestWords is { Length: > 0 } words && (words[^1] & 0xFFFF_FC1F) == 0xD63F_0000;

    /// <summary>A member must have run at least the head's count over this (or have Tier 1 code).</summary>
    public static int MinHeatDivisor { get; set; } = int.TryParse(Environment.GetEnvironmentVariable("EMU_REGION_HEAT"), out int d) && d > 0 ? d : 16;

    /// <summary>
    /// Runs from now after which a member pays for its IL: about 8 µs of compile per IR instruction against
    /// ~25 ns + 1.7 ns per IR instruction saved per run, for a block of ~15 IR instructions (see Tier1Policy).
    /// </summary>
    public const double MemberPaysAfterRuns = 2500;

    /// <summary>How much larger (instructions; blocks half as much) a region holding indirect-branch targets may grow.</summary>
    private const int IndirectGrowth = 3;

    /// <summary>Targets from which an indirect branch counts as a jump table.</summary>
    private const int JumpTableTargets = 4;

    /// <summary>The indirect-branch targets recorded for <paramref name="block"/> (see TranslatedBlock.RecordIndirectTarget).</summary>
    public static ReadOnlySpan<ulong> IndirectTargets(TranslatedBlock block)
    {
        int n = block.IndirectTargetCount;
        return block.IndirectTargets is { } t ? t.AsSpan(0, Math.Min(n, t.Length)) : default;
    }
}
