using Emu.Frontend.Decoder;
using Emu.Frontend.Translation;
using Emu.IR;

namespace Emu.Tests.ColdTier;

/// <summary>
/// Translations for the cold tier reuse their ops per thread (IrInstPool): the next one must start from clean
/// ops and produce the same IR as an ordinary translation.
/// </summary>
public class TransientTranslationTests
{
    private const ulong Base = 0x1000;

    // add x0, x1, x2; ldr x3, [x0, #8]; cmp x3, #5; b.ne 0x1004 | movz x9, #7; ret
    private static readonly uint[] Memory = [0x8b020020, 0xf9400403, 0xf100147f, 0x54ffffc1, 0xd28000e9, 0xd65f03c0];

    private static BlockTranslator Translator() => new(Arm64Decoder.Instance, (ulong address, out uint word) =>
    {
        ulong i = (address - Base) / 4;
        word = i < (ulong)Memory.Length ? Memory[i] : 0;
        return address >= Base && i < (ulong)Memory.Length;
    });

    [Fact]
    public void TransientTranslationEqualsOrdinaryOneAfterReuse()
    {
        var t = Translator();
        string first = t.Translate(Base + 16).ToString();
        string second = t.Translate(Base).ToString();
        // The longer block first, so the shorter one reuses ops that held other values.
        Assert.Equal(second, t.TranslateTransient(Base).ToString());
        Assert.Equal(first, t.TranslateTransient(Base + 16).ToString());
        Assert.Equal(second, t.TranslateTransient(Base).ToString());
    }

    [Fact]
    public void RentedOpsStartClean()
    {
        var pool = new IrInstPool();
        var used = pool.Rent(IrOp.Add);
        used.A = used.B = pool.Rent(IrOp.Const);
        used.Imm = used.Imm2 = used.Imm3 = 9;
        used.Size = 32;
        used.Index = 4;
        pool.Reset();
        var again = pool.Rent(IrOp.Load);
        Assert.Same(used, again);
        Assert.Equal(IrOp.Load, again.Op);
        Assert.Null(again.A);
        Assert.Null(again.B);
        Assert.Equal(0UL, again.Imm | again.Imm2 | again.Imm3);
        Assert.Equal(64, again.Size);
        Assert.Empty(pool.List);
    }
}
