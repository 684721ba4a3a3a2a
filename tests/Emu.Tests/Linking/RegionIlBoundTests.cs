using Emu.IR;
using Emu.Jit;
using Emu.Tests.Backend;

namespace Emu.Tests.Linking;

/// <summary>
/// Rebuilt regions may grow to several times a first build (a big loop body in one method instead of transfers
/// between several); past IlCompiler.MaxRegionIlBytes RyuJIT would compile the method without optimization, so
/// such a region is refused and the blocks run as before. A chain of blocks, each adding its number to x1 and
/// mixing it into x2, checked against the sums computed here and against each block run alone in both tiers.
/// </summary>
public sealed unsafe class RegionIlBoundTests
{
    private const ulong Start = 0x4000, Outside = 0x9_0000;

    /// <summary>Block i (at Start + 16 i): x1 += i + 1; x2 = (x2 ^ x1) + x3; then block i + 1, the last one to Outside.</summary>
    private static IrBlock[] Chain(int count)
    {
        var blocks = new IrBlock[count];
        for (int i = 0; i < count; i++)
        {
            var block = new IrBlock(Start + (ulong)i * 16);
            var ir = new IrBuilder(block);
            var x1 = ir.Add(ir.GetReg(1), ir.Const((ulong)i + 1));
            ir.SetReg(1, x1);
            ir.SetReg(2, ir.Add(ir.Xor(ir.GetReg(2), x1), ir.GetReg(3)));
            ir.Jump(i + 1 < count ? Start + (ulong)(i + 1) * 16 : Outside);
            block.Verify();
            blocks[i] = block;
        }
        return blocks;
    }

    private static (ulong X1, ulong X2) Expected(int count, ulong x1, ulong x2, ulong x3)
    {
        for (int i = 0; i < count; i++)
        {
            x1 += (ulong)i + 1;
            x2 = (x2 ^ x1) + x3;
        }
        return (x1, x2);
    }

    [Fact]
    public void ARegionBelowTheBoundCompilesAndComputesTheChain()
    {
        const int count = 40;
        var region = IlCompiler.CompileRegionWithEntries(Chain(count), null);
        Assert.NotNull(region);
        using var m = new IrMachine();
        m.Ctx->X[1] = 5;
        m.Ctx->X[2] = 0x1234;
        m.Ctx->X[3] = 0x9E37_79B9_7F4A_7C15;
        Assert.Equal(Outside, region!.Entries[0](m.Ctx));
        var (x1, x2) = Expected(count, 5, 0x1234, 0x9E37_79B9_7F4A_7C15);
        Assert.Equal(x1, m.Ctx->X[1]);
        Assert.Equal(x2, m.Ctx->X[2]);
    }

    [Fact]
    public void ARegionPastTheBoundIsRefused()
    {
        // ~40 bytes of IL per block: 2000 blocks are well past the bound.
        Assert.Null(IlCompiler.CompileRegionWithEntries(Chain(2000), null));
    }

    [Theory]
    [InlineData(Tier.Interpreter)]
    [InlineData(Tier.Il)]
    public void TheRefusedRegionsBlocksStillRunOneByOne(Tier tier)
    {
        const int count = 2000;
        var blocks = Chain(count);
        using var m = new IrMachine();
        m.Ctx->X[1] = 7;
        m.Ctx->X[2] = 3;
        m.Ctx->X[3] = 0xFFFF_0000_1111;
        ulong pc = Start;
        // Single blocks in Tier 1 are compiled one by one; a sample of them keeps the test quick.
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(blocks[i].StartPc, pc);
            pc = tier == Tier.Il && i % 100 != 0 ? m.Run(blocks[i], Tier.Interpreter) : m.Run(blocks[i], tier);
        }
        Assert.Equal(Outside, pc);
        var (x1, x2) = Expected(count, 7, 3, 0xFFFF_0000_1111);
        Assert.Equal(x1, m.Ctx->X[1]);
        Assert.Equal(x2, m.Ctx->X[2]);
    }
}
