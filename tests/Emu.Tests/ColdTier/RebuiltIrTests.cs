using Emu.Frontend.Decoder;
using Emu.Frontend.Translation;
using Emu.IR;
using Emu.IR.Passes;
using Emu.Jit;

namespace Emu.Tests.ColdTier;

/// <summary>
/// Cached blocks keep their instruction words instead of their IR; Tier 1 rebuilds the IR from the words.
/// The rebuild must equal the first translation even after guest memory changed.
/// </summary>
public class RebuiltIrTests
{
    internal const ulong Base = 0x1000;

    // add x0, x1, x2; ldr x3, [x0, #8]; cmp x3, #5; b.ne 0x1004 (a conditional branch ends the block)
    internal static readonly uint[] Loop = [0x8b020020, 0xf9400403, 0xf100147f, 0x54ffffc1];

    internal static BlockTranslator Over(uint[] memory) => new(Arm64Decoder.Instance, (ulong address, out uint word) =>
    {
        ulong i = (address - Base) / 4;
        word = i < (ulong)memory.Length ? memory[i] : 0;
        return address >= Base && i < (ulong)memory.Length;
    });

    private static IrBlock Optimized(IrBlock ir)
    {
        IrOptimizer.Run(ir);
        ir.Renumber();
        return ir;
    }

    [Fact]
    public void TranslationRecordsTheWordsItDecoded()
    {
        var ir = Over(Loop).Translate(Base);
        Assert.Equal(Loop, ir.GuestWords);
        Assert.Equal(Base + 16, ir.EndPc);
    }

    [Fact]
    public void RetranslationFromRecordedWordsIgnoresChangedMemory()
    {
        var memory = (uint[])Loop.Clone();
        var translator = Over(memory);
        var first = translator.Translate(Base);
        string expected = Optimized(translator.Translate(Base)).ToString();
        memory[0] = 0xd503201f; // nop: the guest rewrote the code since
        var again = Optimized(translator.Retranslate(Base, first.GuestWords!, 256));
        Assert.Equal(expected, again.ToString());
        Assert.NotEqual(expected, Optimized(translator.Translate(Base)).ToString());
    }

    [Fact]
    public void RetranslationKeepsTheEndOfABlockCutByTheLimitOrAFetchFault()
    {
        // Four words of straight-line code, then unmapped memory: the first translation ends in a fetch fault.
        uint[] straight = [0x8b020020, 0x8b020020, 0x8b020020, 0x8b020020];
        var translator = Over(straight);
        var faulted = translator.Translate(Base);
        Assert.Equal(IrOp.Exit, faulted.Terminator.Op);
        Assert.Equal(faulted.ToString(), translator.Retranslate(Base, faulted.GuestWords!, 256).ToString());
        // Cut by the instruction limit: ends in a jump to the next instruction, also when rebuilt.
        var cut = translator.Translate(Base, 4);
        Assert.Equal(IrOp.Jump, cut.Terminator.Op);
        Assert.Equal(cut.ToString(), translator.Retranslate(Base, cut.GuestWords!, 4).ToString());
    }

    [Fact]
    public void CachedBlockRebuildsItsIrOnDemandAndKeepsTerminatorFacts()
    {
        var translator = Over(Loop);
        var ir = Optimized(translator.Translate(Base));
        string expected = ir.ToString();
        int rebuilds = 0;
        var block = new TranslatedBlock(ir, InterpretedBlock.Prepare(ir), b =>
        {
            rebuilds++;
            return Optimized(translator.Retranslate(b.StartPc, b.GuestWords!, 256));
        });
        Assert.Equal(IrOp.Branch, block.TerminatorOp);
        Assert.Equal(new[] { Base + 4, Base + 16 }, new[] { block.TerminatorImm, block.TerminatorImm2 }.Order());
        Assert.Equal(ir.Insts.Count, block.IrInstructionCount);
        Assert.Equal(0, rebuilds);
        var rebuilt = block.Ir;
        Assert.Equal(1, rebuilds);
        Assert.NotSame(ir, rebuilt);
        Assert.Equal(expected, rebuilt.ToString());
    }

    [Fact]
    public void BlockWithoutRebuildKeepsItsIr()
    {
        var ir = Optimized(Over(Loop).Translate(Base));
        var block = new TranslatedBlock(ir, InterpretedBlock.Prepare(ir));
        Assert.Same(ir, block.Ir);
    }
}
