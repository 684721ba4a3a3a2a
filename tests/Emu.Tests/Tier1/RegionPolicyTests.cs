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
    public void ACompiledBlockJoinsWhateverItsColdCount()
    {
        // Tier 1 code no longer counts runs: a block compiled on its own was hot.
        var blocks = Loop(4000, 3990, 3);
        blocks[Rare].Compiled = IlCompiler.Compile(blocks[Rare].Ir);
        Assert.Equal([Head, Body, Rare], Collect(blocks));
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
