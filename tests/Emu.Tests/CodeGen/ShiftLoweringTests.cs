using Emu.Tests.Support;

namespace Emu.Tests.CodeGen;

/// <summary>
/// Shifts, rotates, CLZ and REV are emitted as IL (immediate amounts, intrinsics) rather than helper calls:
/// register amounts are taken modulo the operand size, 32-bit results are zero-extended. Expected values
/// follow the ARM definitions (computed independently of the emulator).
/// </summary>
public sealed class ShiftLoweringTests
{
    // LSL/LSR/ASR/ROR w3..w6, w1, w2; LSL/LSR/ASR/ROR x7..x10, x1, x2; CLZ w11, w1; CLZ x12, x1;
    // REV w13, w1; REV x14, x1; EXTR x15, x1, x1, #12 (ROR #12)
    private static readonly uint[] Code =
    [
        0x1ac22023, 0x1ac22424, 0x1ac22825, 0x1ac22c26, 0x9ac22027, 0x9ac22428, 0x9ac22829, 0x9ac22c2a,
        0x5ac0102b, 0xdac0102c, 0x5ac0082d, 0xdac00c2e, 0x93c1302f,
    ];

    [Theory]
    [InlineData(0x81234567f9abcdefUL, 36UL, new ulong[] { 0x9abcdef0, 0xf9abcde, 0xff9abcde, 0xff9abcde, 0x9abcdef000000000, 0x8123456, 0xfffffffff8123456, 0x7f9abcdef8123456, 0x0, 0x0, 0xefcdabf9, 0xefcdabf967452381, 0xdef81234567f9abc })]
    [InlineData(0x12345678UL, 69UL, new ulong[] { 0x468acf00, 0x91a2b3, 0x91a2b3, 0xc091a2b3, 0x2468acf00, 0x91a2b3, 0x91a2b3, 0xc00000000091a2b3, 0x3, 0x23, 0x78563412, 0x7856341200000000, 0x6780000000012345 })]
    [InlineData(0x8000000000000001UL, 0UL, new ulong[] { 0x1, 0x1, 0x1, 0x1, 0x8000000000000001, 0x8000000000000001, 0x8000000000000001, 0x8000000000000001, 0x1f, 0x0, 0x1000000, 0x100000000000080, 0x18000000000000 })]
    public void RegisterAmountsAndBitOperations(ulong x1, ulong x2, ulong[] expected)
    {
        CpuTestHarness.RunWithResultRegisters(Code, x1, x2, expected);
    }
}
