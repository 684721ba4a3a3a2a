using Emu.IR;
using Emu.Jit;

namespace Emu.Tests.Tier1;

/// <summary>Which blocks RegionBuilder takes into a region: only code that ran, and only hot code.</summary>
public sealed class RegionPolicyTests
{
    // A loop: Head branches to Body (hot) or Rare (cold); both jump back to Head.
    private const ulong Head = 0x1000, Body = 0x2000, Rare = 0x3000, Never = 0x4000;

    private static TranslatedBlock Block(ulong pc, Action<IrBuilder> terminate, int executions)
    {
        var ir = new IrBlock(pc);
        var b = new IrBuilder(ir);
        b.SetReg(1, b.Add(b.GetReg(1), b.Const(1)));
        terminate(b);
        ir.Verify();
        return new TranslatedBlock(ir, InterpretedBlock.Prepare(ir)) { ExecutionCount = executions };
    }

    private static Dictionary<ulong, TranslatedBlock> Loop(int headRuns, int bodyRuns, int rareRuns)
    {
        var blocks = new Dictionary<ulong, TranslatedBlock>
        {
            [Head] = Block(Head, b => b.Branch(b.Compare(b.GetReg(1), b.Const(7), IrCompare.Eq), Rare, Body), headRuns),
            [Body] = Block(Body, b => b.Jump(Head), bodyRuns),
            [Rare] = Block(Rare, b => b.Jump(Never), rareRuns),
        };
        return blocks;
    }

    /// <summary>The region's block PCs: the head, then the others in ascending order.</summary>
    private static ulong[] Collect(Dictionary<ulong, TranslatedBlock> blocks)
    {
        var region = RegionBuilder.Collect(blocks[Head], pc => blocks.GetValueOrDefault(pc), 32, 300);
        if (region == null) return [];
        Assert.Equal(Head, region[0].StartPc);
        return [Head, .. region.Skip(1).Select(b => b.StartPc).Order()];
    }

    [Fact]
    public void ABlockThatRanFarLessThanTheHeadStaysOut()
    {
        int rareRuns = 4000 / RegionBuilder.MinHeatDivisor - 1;
        Assert.Equal([Head, Body], Collect(Loop(4000, 3990, rareRuns)));
    }

    [Fact]
    public void ABlockThatRanOftenEnoughJoins()
    {
        int rareRuns = 4000 / RegionBuilder.MinHeatDivisor;
        Assert.Equal([Head, Body, Rare], Collect(Loop(4000, 3990, rareRuns)));
    }

    [Fact]
    public void ACompiledBlockReachedByAPlainBranchJoinsWhateverItsColdCount()
    {
        // Tier 1 code no longer counts runs: a block compiled on its own was hot. Reached by a branch of the
        // same function (a hot loop with its own code inside the function), it is compiled again with the rest.
        var blocks = Loop(4000, 3990, 3);
        blocks[Never] = Block(Never, b => b.Jump(0x5000), 3);
        blocks[Rare].Compiled = IlCompiler.Compile(blocks[Rare].Ir);
        Assert.Equal([Head, Body, Rare], Collect(blocks));
    }

    // Head branches to Body (back to Head) or to CallSite, which calls Callee (BL); Callee returns (RET) to
    // AfterCall, or goes on to Elsewhere.
    private const ulong CallSite = 0x6000, Callee = 0x7000, AfterCall = 0x6004, Elsewhere = 0x8000;

    private static Dictionary<ulong, TranslatedBlock> WithCall(bool calleeReturns)
    {
        var blocks = Loop(4000, 3990, 0);
        blocks.Remove(Rare);
        blocks[Head] = Block(Head, b => b.Branch(b.Compare(b.GetReg(1), b.Const(7), IrCompare.Eq), CallSite, Body), 4000);
        var call = Block(CallSite, b => b.Jump(Callee), 4000);
        call.Ir.GuestWords = [0x94000400 /* bl +0x1000 */];
        blocks[CallSite] = new TranslatedBlock(call.Ir, call.Cold) { ExecutionCount = 4000 };
        if (calleeReturns)
        {
            var ret = Block(Callee, b => b.JumpIndirect(b.GetReg(30)), 4000);
            ret.Ir.GuestWords = [0xD65F03C0 /* ret */];
            blocks[Callee] = new TranslatedBlock(ret.Ir, ret.Cold) { ExecutionCount = 4000, IndirectIsReturn = true };
            blocks[Callee].RecordIndirectTarget(AfterCall);
        }
        else blocks[Callee] = Block(Callee, b => b.Jump(Elsewhere), 4000);
        blocks[AfterCall] = Block(AfterCall, b => b.Jump(Head), 4000);
        blocks[Elsewhere] = Block(Elsewhere, b => b.Jump(0x9000), 4000);
        return blocks;
    }

    [Fact]
    public void ACompiledCalleeThatLeadsOnlyToOtherCodeStaysOut()
    {
        // The callee has its own code (shared by its callers) and leads only to other code: the region exits to
        // that code instead of compiling it again.
        var blocks = WithCall(calleeReturns: false);
        Assert.Equal([Head, Body, CallSite, Callee, Elsewhere], Collect(blocks));
        blocks[Elsewhere].Compiled = IlCompiler.Compile(blocks[Elsewhere].Ir);
        Assert.Equal([Head, Body, CallSite, Callee, Elsewhere], Collect(blocks));
        blocks[Callee].Compiled = IlCompiler.Compile(blocks[Callee].Ir);
        Assert.Equal([Head, Body, CallSite], Collect(blocks));
    }

    [Fact]
    public void ACompiledCalleeThatReturnsIntoTheRegionJoins()
    {
        var blocks = WithCall(calleeReturns: true);
        blocks[Callee].Compiled = IlCompiler.Compile(blocks[Callee].Ir);
        Assert.Equal([Head, Body, CallSite, AfterCall, Callee], Collect(blocks));
    }

    [Fact]
    public void TheRegionsOwnEntriesStayInWhenItIsRebuilt()
    {
        // A rebuild: the members already run this head's code (EntryOf), which is no other region's code.
        var blocks = WithCall(calleeReturns: false);
        blocks[Callee].Compiled = IlCompiler.Compile(blocks[Callee].Ir);
        blocks[Callee].EntryOf = blocks[Head];
        Assert.Equal([Head, Body, CallSite, Callee, Elsewhere], Collect(blocks));
    }

    [Fact]
    public void CompilingAtOnceTakesEveryTranslatedBlock()
    {
        // -tier1-threshold 0: nothing has counts; every translated successor joins, untranslated ones do not.
        Assert.Equal([Head, Body, Rare], Collect(Loop(0, 0, 0)));
    }
    /// <summary>A block ending in <paramref name="word"/> (BR or BLR X8) that went to six targets, and the targets.</summary>
    private static Dictionary<ulong, TranslatedBlock> IndirectBranchTo6(uint word)
    {
        var ir = new IrBlock(Head);
        var b = new IrBuilder(ir);
        b.SetReg(1, b.Add(b.GetReg(1), b.Const(1)));
        b.JumpIndirect(b.GetReg(8));
        ir.Verify();
        ir.GuestWords = [0xD2800021 /* mov x1, #1 */, word];
        var head = new TranslatedBlock(ir, InterpretedBlock.Prepare(ir)) { ExecutionCount = 4000 };
        var blocks = new Dictionary<ulong, TranslatedBlock> { [Head] = head };
        for (ulong i = 1; i <= 6; i++)
        {
            ulong pc = 0x10000 * i;
            blocks[pc] = Block(pc, t => t.Jump(Head), 4000);
            head.RecordIndirectTarget(pc);
        }
        return blocks;
    }

    [Fact]
    public void AJumpTablesCompiledHandlersJoinOnlyWhenTheyLeadBackIntoTheRegion()
    {
        var blocks = IndirectBranchTo6(0xD61F0100u /* br x8 */);
        blocks[0x10000].Compiled = IlCompiler.Compile(blocks[0x10000].Ir);
        blocks[0x20000] = Block(0x20000, t => t.Jump(0x9000), 4000);
        blocks[0x20000].Compiled = IlCompiler.Compile(blocks[0x20000].Ir);
        var region = RegionBuilder.Collect(blocks[Head], pc => blocks.GetValueOrDefault(pc), 32, 300)!;
        Assert.Contains(blocks[0x10000], region);
        Assert.DoesNotContain(blocks[0x20000], region);
        Assert.Equal(6, region.Length);
    }

    [Theory]
    [InlineData(0xD61F0100u, true)] // BR X8: a jump table, whose handlers share the dispatch's runs
    [InlineData(0xD63F0100u, false)] // BLR X8: a call through a pointer; its callees are measured against the head
    public void AJumpTablesHandlerJoinsWithItsShareOfTheDispatchsRuns(uint word, bool joins)
    {
        // A first build (the head expected to run 10^8 times more: every member pays for itself). An interpreter's
        // opcode that ran 1/20 of the dispatch loop's count (below the head's 1/16): left out, it would soon become
        // a head of its own and compile the loop again. The block it branches on to is measured the same way; a
        // cold handler (far below its share) stays out.
        var blocks = IndirectBranchTo6(word);
        const ulong Handler = 0x10000, HandlerTail = 0x10010, ColdHandler = 0x20000;
        blocks[Handler] = Block(Handler, t => t.Jump(HandlerTail), 4000 / 20);
        blocks[HandlerTail] = Block(HandlerTail, t => t.Jump(Head), 4000 / 20);
        blocks[ColdHandler] = Block(ColdHandler, t => t.Jump(Head), 4000 / RegionBuilder.MinHeatDivisor / 6 / 2);
        var region = RegionBuilder.Collect(blocks[Head], pc => blocks.GetValueOrDefault(pc), 32, 300, headRunsAhead: 1e8)!;
        Assert.Equal(joins, region.Contains(blocks[Handler]));
        Assert.Equal(joins, region.Contains(blocks[HandlerTail]));
        Assert.DoesNotContain(blocks[ColdHandler], region);
        Assert.Contains(blocks[0x30000], region);
        // A rebuild (no estimate: its profile is long) measures handlers against the head as before.
        Assert.DoesNotContain(blocks[Handler], RegionBuilder.Collect(blocks[Head], pc => blocks.GetValueOrDefault(pc), 32, 300)!);
    }

    [Theory]
    [InlineData(0xD61F0100u, 7)] // BR X8: a jump table; the region may grow to take all its handlers
    [InlineData(0xD63F0100u, 3)] // BLR X8: a call through a pointer; the usual cap holds (head and two targets)
    public void OnlyAJumpTableGrowsTheRegionPastItsCap(uint word, int expectedBlocks)
    {
        var blocks = IndirectBranchTo6(word);
        int cap = blocks[Head].IrInstructionCount + 2 * blocks[0x10000].IrInstructionCount;
        var region = RegionBuilder.Collect(blocks[Head], pc => blocks.GetValueOrDefault(pc), 32, cap);
        Assert.Equal(expectedBlocks, region!.Length);
    }
}
