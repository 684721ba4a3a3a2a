using Emu.IR;
using Emu.Jit;
using Emu.Tests.Backend;

namespace Emu.Tests.Linking;

/// <summary>
/// A region rebuilt because its code keeps being left grows to the full recompile growth only when its first
/// build stopped at the instruction cap (its hot code did not fit: LZMA's optimal-parser loop); otherwise to
/// at most twice the first build. The rebuilt code must still compute what the blocks compute.
/// </summary>
public sealed unsafe class RegionGrowthTests
{
    private const ulong Outside = 0x9_0000;
    private const int Count = 12;

    /// <summary>Block i at 0x1000 (i + 1): x1 += i + 1, then block i + 1; the last one leaves.</summary>
    private static Dictionary<ulong, TranslatedBlock> Chain()
    {
        var blocks = new Dictionary<ulong, TranslatedBlock>();
        for (int i = 0; i < Count; i++)
        {
            var ir = new IrBlock(0x1000 * (ulong)(i + 1));
            var b = new IrBuilder(ir);
            b.SetReg(1, b.Add(b.GetReg(1), b.Const((ulong)i + 1)));
            b.Jump(i + 1 < Count ? 0x1000 * (ulong)(i + 2) : Outside);
            ir.Verify();
            blocks[ir.StartPc] = new TranslatedBlock(ir, InterpretedBlock.Prepare(ir));
        }
        return blocks;
    }

    private static int Members(TranslatedBlock head) => head.RegionMembers!.Select(b => b.StartPc).Distinct().Count();

    [Fact]
    public void AFirstBuildStoppedByTheInstructionCapGrowsFully()
    {
        var blocks = Chain();
        int perBlock = blocks[0x1000].IrInstructionCount;
        // Three blocks fill the cap; six times that holds the whole chain.
        var options = new TranslatorOptions { BackgroundCompile = false, MaxRegionBlocks = 32, MaxRegionInstructions = perBlock * 3 };
        var tier1 = new Tier1Compiler(options) { Lookup = blocks.GetValueOrDefault };
        var head = blocks[0x1000];
        tier1.Request(head);
        Assert.Equal(3, Members(head));
        Assert.Equal(6, Tier1Compiler.GrowthOf(head, options.MaxRegionInstructions, 6));

        tier1.RequestRecompile(head);
        Assert.Equal(Count, Members(head));
        using var m = new IrMachine();
        m.Ctx->X[1] = 1000;
        Assert.Equal(Outside, head.Compiled!(m.Ctx));
        Assert.Equal(1000UL + Count * (Count + 1) / 2, m.Ctx->X[1]);
    }

    [Fact]
    public void AFirstBuildStoppedByTheBlockCapGrowsTwofold()
    {
        var blocks = Chain();
        var options = new TranslatorOptions { BackgroundCompile = false, MaxRegionBlocks = 2, MaxRegionInstructions = 1000 };
        var tier1 = new Tier1Compiler(options) { Lookup = blocks.GetValueOrDefault };
        var head = blocks[0x1000];
        tier1.Request(head);
        Assert.Equal(2, Members(head));
        Assert.Equal(2, Tier1Compiler.GrowthOf(head, options.MaxRegionInstructions, 6));

        tier1.RequestRecompile(head);
        Assert.Equal(4, Members(head));
        using var m = new IrMachine();
        m.Ctx->X[1] = 5;
        // The region holds blocks 1-4: it leaves for block 5.
        Assert.Equal(0x5000UL, head.Compiled!(m.Ctx));
        Assert.Equal(5UL + 1 + 2 + 3 + 4, m.Ctx->X[1]);
    }
}
