using Emu.IR;
using Emu.Tests.Backend;

namespace Emu.Tests.CodeGen;

/// <summary>
/// Tier 1 leaves a 32-bit result unextended when every user reads only its low half (another 32-bit op, a
/// 32-bit shift or compare, a narrow store, an extension): each user that needs the value zero-extended
/// still sees it so. Each result below is ~x + y in 32 bits, whose unextended form has high bits set, and has
/// one user, so a user wrongly counted as reading only the low half shows up in its register.
/// </summary>
public sealed unsafe class Low32ResultTests
{
    private const ulong Slot = IrMachine.DataBase + 0x100;

    [Theory]
    [InlineData(0xFFFF_0000_1234_5678UL, 0x8000_0001_8000_0001UL)]
    [InlineData(0x0000_0001_FFFF_FFFFUL, 0xFFFF_FFFF_0000_0002UL)]
    public void EveryUserSeesTheZeroExtendedValue(ulong a, ulong b)
    {
        uint s = ~(uint)a + (uint)b; // expected values computed independently of the IR
        var expected = new ulong[]
        {
            s >> 4, // x0: LSR.32
            uint.RotateRight(s, 7), // x1: ROR.32
            (uint)((int)s >> 3), // x2: ASR.32
            s < 0x8000_0000u ? 1UL : 0UL, // x3: Compare.32
            (ulong)s + b, // x4: ADD.64 needs the extension
            s, // x5: so does SetReg
            (ulong)(long)(int)(s ^ (uint)b), // x6: XOR.32, then SignExtend 32
            (ushort)s, // x7: ZeroExtend 16
            1UL << (int)(s & 63), // x8: a 64-bit shift's amount reads only its low bits
            (ulong)s << 3, // x9: LSL.64 of the value needs the extension
            s < 0x8000_0000UL ? 1UL : 0UL, // x12: Compare.64 needs it
        };
        foreach (var tier in IrTestKit.Tiers)
        {
            var block = new IrBlock(0x1000);
            var ir = new IrBuilder(block);
            var x = ir.GetReg(10);
            var y = ir.GetReg(11);
            IrInst Sum() => ir.Add(ir.Not(x, 32), y, 32);
            ir.SetReg(0, ir.Lsr(Sum(), ir.Const(4UL), 32));
            ir.SetReg(1, ir.Ror(Sum(), ir.Const(7UL), 32));
            ir.SetReg(2, ir.Asr(Sum(), ir.Const(3UL), 32));
            ir.SetReg(3, ir.Compare(Sum(), ir.Const(0x8000_0000UL), IrCompare.ULt, 32));
            ir.SetReg(4, ir.Add(Sum(), y));
            ir.SetReg(5, Sum());
            ir.SetReg(6, ir.SignExtend(ir.Xor(Sum(), y, 32), 32));
            ir.SetReg(7, ir.ZeroExtend(Sum(), 16));
            ir.SetReg(8, ir.Shl(ir.Const(1UL), Sum()));
            ir.SetReg(9, ir.Shl(Sum(), ir.Const(3UL)));
            ir.SetReg(12, ir.Compare(Sum(), ir.Const(0x8000_0000UL), IrCompare.ULt));
            ir.Store(ir.Const(Slot), Sum(), 4);
            ir.Store(ir.Const(Slot + 8), Sum(), 8);
            ir.Jump(0x2000);
            using var m = new IrMachine();
            m.Ctx->X[10] = a;
            m.Ctx->X[11] = b;
            ulong* slot = (ulong*)(m.Memory.Base + (nint)Slot);
            slot[0] = slot[1] = 0xAAAA_AAAA_AAAA_AAAAUL;
            Assert.Equal(0x2000UL, m.Run(block, tier));
            for (int i = 0; i < expected.Length; i++)
            {
                int r = i < 10 ? i : 12;
                Assert.True(expected[i] == m.Ctx->X[r], $"{tier} x{r}: expected 0x{expected[i]:x}, got 0x{m.Ctx->X[r]:x}");
            }
            Assert.Equal(0xAAAA_AAAA_0000_0000UL | s, slot[0]); // a 4-byte store leaves the next word alone
            Assert.Equal(s, slot[1]); // an 8-byte store needs the extension
        }
    }
}
