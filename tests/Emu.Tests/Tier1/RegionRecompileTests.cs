using Emu.IR;
using Emu.Jit;

namespace Emu.Tests.Tier1;

/// <summary>A region rebuilt because its code keeps being left may grow past the first build's caps.</summary>
public sealed class RegionRecompileTests
{
    // A loop of four blocks: 0x1000 → 0x2000 → 0x3000 → 0x4000 → 0x1000.
    private static Dictionary<ulong, TranslatedBlock> Loop(int firstThreeAdds = 1)
    {
        var blocks = new Dictionary<ulong, TranslatedBlock>();
        for (ulong i = 1; i <= 4; i++)
        {
            var ir = new IrBlock(i * 0x1000);
            var b = new IrBuilder(ir);
            for (int k = 0; k < (i < 4 ? firstThreeAdds : 1); k++) b.SetReg(1 + k % 8, b.Add(b.GetReg(1 + k % 8), b.Const(i)));
            b.Jump(i == 4 ? 0x1000 : (i + 1) * 0x1000);
            ir.Verify();
            blocks[ir.StartPc] = new TranslatedBlock(ir, InterpretedBlock.Prepare(ir));
        }
        return blocks;
    }

    [Fact]
    public void ARebuiltRegionTakesInMoreBlocksThanTheFirstBuild()
    {
        var blocks = Loop();
        var options = new TranslatorOptions { BackgroundCompile = false, MaxRegionBlocks = 2, MaxRegionInstructions = 1000 };
        var tier1 = new Tier1Compiler(options) { Lookup = blocks.GetValueOrDefault };
        var head = blocks[0x1000];

        tier1.Request(head);
        Assert.NotNull(head.Compiled);
        Assert.Equal([0x1000ul, 0x2000], head.RegionMembers!.Select(b => b.StartPc).Distinct().Order().ToArray());

        tier1.RequestRecompile(head);
        Assert.Equal([0x1000ul, 0x2000, 0x3000, 0x4000], head.RegionMembers!.Select(b => b.StartPc).Distinct().Order().ToArray());
    }

    [Fact]
    public void ARebuildThatWouldAddLittleKeepsTheCode()
    {
        // Three big blocks in the first build; the rebuild would only add the small fourth (~1/20 of the IR).
        var blocks = Loop(firstThreeAdds: 10);
        var options = new TranslatorOptions { BackgroundCompile = false, MaxRegionBlocks = 3, MaxRegionInstructions = 1000 };
        var tier1 = new Tier1Compiler(options) { Lookup = blocks.GetValueOrDefault };
        var head = blocks[0x1000];

        tier1.Request(head);
        var code = head.Compiled;
        Assert.Equal([0x1000ul, 0x2000, 0x3000], head.RegionMembers!.Select(b => b.StartPc).Distinct().Order().ToArray());

        tier1.RequestRecompile(head);
        Assert.Same(code, head.Compiled);
        Assert.Equal([0x1000ul, 0x2000, 0x3000], head.RegionMembers!.Select(b => b.StartPc).Distinct().Order().ToArray());
    }
}
