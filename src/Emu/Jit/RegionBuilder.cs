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
        // compiling them costs RyuJIT time in proportion to their IL and saves little; they stay exits. Each
        // member carries the runs its successors need (a jump table's handlers less, see below).
        var relativeHeats = new List<int> { head.ExecutionCount / MinHeatDivisor };
        // A lukewarm head: its members' runs from now scale with theirs so far; one below MemberPaysAfterRuns adds
        // more compile time than it saves.
        int paysHeat = headRunsAhead > 0 ? (int)Math.Min(int.MaxValue, head.ExecutionCount * (MemberPaysAfterRuns / headRunsAhead)) : 0;
        for (int i = 0; i < members.Count && members.Count < maxBlocks; i++)
        {
            // The stored terminator: reading .Ir would rebuild every candidate's IR.
            var m = members[i];
            int heat = relativeHeats[i];
            switch (m.TerminatorOp)
            {
                case IrOp.Jump:
                    Add(m.TerminatorImm, heat);
                    break;
                case IrOp.Branch:
                    Add(m.TerminatorImm, heat);
                    Add(m.TerminatorImm2, heat);
                    break;
                case IrOp.JumpIndirect:
                    // Where BR/BLR/RET went so far (a jump table's handlers, a callee, a return site): the IL
                    // compares the target with these and stays in the method on a match. An interpreter's
                    // handlers (a jump table: many targets) together are larger than a loop body: such a
                    // region may grow further. (A return's few targets do not count: it would grow every region; nor
                    // do a BLR's: a call through a function pointer (a C interpreter's type slots) is no dispatch
                    // loop, and growing every region that makes one tripled the IL of lukewarm code.)
                    var targets = IndirectTargets(m);
                    if (IsJumpTable(m))
                    {
                        maxBlocks = Math.Max(maxBlocks, initialMaxBlocks * IndirectGrowth / 2);
                        maxInstructions = Math.Max(maxInstructions, initialMaxInstructions * IndirectGrowth);
                        // A jump table shares its dispatch's runs out among its handlers: an interpreter's opcode
                        // runs a fraction of the dispatch loop's count, often below the head's bound. Left out of a
                        // first build, it became a head of its own soon after and compiled the whole loop again
                        // (bytecode: four compiles of one loop). There a handler, and the code it branches on to, is
                        // measured against its share of the dispatch, and must still pay for itself (paysHeat). Not
                        // in a rebuild (no runs-ahead estimate): its profile is long, and lua's grew by half again.
                        if (headRunsAhead > 0) heat = Math.Min(heat, m.ExecutionCount / MinHeatDivisor) / Math.Min(targets.Length, JumpTableTargets);
                    }
                    foreach (ulong pc in targets) Add(pc, heat);
                    break;
            }
        }
        if (CompiledMembers != CompiledMemberPolicy.All) members = WithoutOtherCode(head, members);
        // A lone block that branches to itself is still a loop worth keeping in registers.
        return members.Count > 1 || BranchesTo(head, head.StartPc) ? members.ToArray() : null;

        static bool BranchesTo(TranslatedBlock b, ulong pc) =>
            b.TerminatorOp == IrOp.Jump ? b.TerminatorImm == pc : b.TerminatorOp == IrOp.Branch && (b.TerminatorImm == pc || b.TerminatorImm2 == pc);

        // relativeHeat: the runs against the head's that a block without Tier 1 code needs to join.
        void Add(ulong pc, int relativeHeat)
        {
            if (members.Count >= maxBlocks || !seen.Add(pc)) return;
            // Only code that ran: never-executed paths stay out of the compile.
            var b = lookup(pc);
            if (b == null || b.Invalidated || size + b.IrInstructionCount > maxInstructions) return;
            // Compiled code no longer counts its runs; it was hot enough once.
            if (b.ExecutionCount < Math.Max(relativeHeat, paysHeat) && b.Compiled == null) return;
            size += b.IrInstructionCount;
            members.Add(b);
            relativeHeats.Add(relativeHeat);
        }
    }

    /// <summary>Which blocks that already have Tier 1 code (another region's, or their own) a region takes in again.</summary>
    public enum CompiledMemberPolicy
    {
        /// <summary>None: the region exits to their code.</summary>
        None,
        /// <summary>
        /// Those on a path to the head or to a block without code (a loop's body back to its head, a callee that
        /// returns into the region): the code around them keeps its registers in locals.
        /// </summary>
        Between,
        /// <summary>All of them.</summary>
        All,
        /// <summary>
        /// Those reached by a direct branch that is no call (B, B.cond, CBZ…: the rest of the function around a hot
        /// loop that has its own code), and through a call, return or jump table those <see cref="Between"/> would
        /// take (an interpreter's handlers that lead back to the dispatch in this region); other callees, return
        /// sites and handlers, shared by many regions, are exits to their code.
        /// </summary>
        DirectBranches,
    }

    /// <summary>EMU_REGION_COMPILED=0/1/2/3 (None, Between, All, DirectBranches), for experiments.</summary>
    public static CompiledMemberPolicy CompiledMembers { get; set; } =
        int.TryParse(Environment.GetEnvironmentVariable("EMU_REGION_COMPILED"), out int c) && c is >= 0 and <= 3 ? (CompiledMemberPolicy)c : CompiledMemberPolicy.DirectBranches;

    /// <summary>
    /// <paramref name="members"/> without the blocks that have other Tier 1 code (see <see cref="CompiledMembers"/>)
    /// and without what is then no longer reachable from the head. With all of them, ~70% of the IR of region
    /// first builds on the python workload was such code, compiled again in every region that reached it (a
    /// callee shared by many callers); RyuJIT's time is about proportional to the IL.
    /// </summary>
    private static List<TranslatedBlock> WithoutOtherCode(TranslatedBlock head, List<TranslatedBlock> members)
    {
        int n = members.Count;
        var isOther = new bool[n];
        bool any = false;
        for (int i = 1; i < n; i++) any |= isOther[i] = members[i].Compiled != null && (members[i].EntryOf ?? members[i]) != head;
        if (!any) return members;
        // Plain arrays and linear searches (regions have tens of blocks): generic collections over value types
        // are host JIT the first time.
        var successors = new List<int>[n];
        for (int i = 0; i < n; i++)
        {
            successors[i] = [];
            foreach (ulong pc in SuccessorPcs(members[i]))
                for (int t = 0; t < n; t++)
                    if (members[t].StartPc == pc)
                    {
                        successors[i].Add(t);
                        break;
                    }
        }
        // Blocks from which the head or a block without other code can be reached: a fixed point over the
        // (small) region. What is left are the paths that only run into other code: the region's exits.
        var reachesNew = new bool[n];
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int i = 0; i < n; i++)
            {
                if (reachesNew[i]) continue;
                foreach (int t in successors[i])
                    if (!isOther[t] || reachesNew[t])
                    {
                        reachesNew[i] = changed = true;
                        break;
                    }
            }
        }
        // What the head reaches through the blocks taken.
        var reached = new bool[n];
        var stack = new int[n];
        int depth = 0;
        reached[0] = true;
        stack[depth++] = 0;
        while (depth > 0)
        {
            int f = stack[--depth];
            var from = members[f];
            bool direct = from.TerminatorOp == IrOp.Branch || (from.TerminatorOp == IrOp.Jump && !EndsInDirectCall(from));
            foreach (int t in successors[f])
            {
                bool take = !isOther[t] || CompiledMembers switch
                {
                    CompiledMemberPolicy.All => true,
                    CompiledMemberPolicy.Between => reachesNew[t],
                    CompiledMemberPolicy.DirectBranches => direct || reachesNew[t],
                    _ => false,
                };
                if (take && !reached[t])
                {
                    reached[t] = true;
                    stack[depth++] = t;
                }
            }
        }
        var result = new List<TranslatedBlock>(n);
        for (int i = 0; i < n; i++)
            if (reached[i]) result.Add(members[i]);
        return result;
    }

    /// <summary>Where <paramref name="b"/> may continue: its direct branch targets and recorded indirect targets.</summary>
    private static IEnumerable<ulong> SuccessorPcs(TranslatedBlock b)
    {
        switch (b.TerminatorOp)
        {
            case IrOp.Jump:
                yield return b.TerminatorImm;
                break;
            case IrOp.Branch:
                yield return b.TerminatorImm;
                yield return b.TerminatorImm2;
                break;
            case IrOp.JumpIndirect:
                var targets = IndirectTargets(b).ToArray();
                foreach (ulong pc in targets) yield return pc;
                break;
        }
    }

    /// <summary>True if the block's indirect branch went to many places and is no return or call: a jump table.</summary>
    private static bool IsJumpTable(TranslatedBlock b) =>
        b.TerminatorOp == IrOp.JumpIndirect && IndirectTargets(b).Length >= JumpTableTargets && !b.IndirectIsReturn && !EndsInCall(b);

    /// <summary>True if the block ends in BL (a call).</summary>
    private static bool EndsInDirectCall(TranslatedBlock b) => b.GuestWords is { Length: > 0 } words && Frontend.Decoder.BranchWords.IsBl(words[^1]);

    /// <summary>True if the block ends in BLR (an indirect call).</summary>
    private static bool EndsInCall(TranslatedBlock b) => b.GuestWords is { Length: > 0 } words && Frontend.Decoder.BranchWords.IsBlr(words[^1]);

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
