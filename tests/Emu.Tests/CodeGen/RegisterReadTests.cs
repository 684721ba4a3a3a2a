using Emu.Tests.Support;

namespace Emu.Tests.CodeGen;

/// <summary>
/// Tier 1 uses a register read straight from the register's local when nothing writes the register before
/// the value's last use. SUBS x1, x1, x2 followed by B.HS writes x1 while the branch still compares the old
/// x1 with x2 (the condition is evaluated at the branch): the old value must survive the write.
/// </summary>
public sealed class RegisterReadTests
{
    // mov x3, #0; loop: cmp x3, #16; b.hs done; subs x1, x1, x2; add x3, x3, #1; b.hs loop; done: mov x4, x1
    // (the guard at the top ends a wrongly compiled loop after 16 rounds, so the test fails instead of hanging)
    private static readonly uint[] CountdownLoop = [0xd2800003, 0xf100407f, 0x54000082, 0xeb020021, 0x91000463, 0x54ffff82, 0xaa0103e4];

    [Theory]
    [InlineData(10UL, 3UL, 4UL, 0xFFFF_FFFF_FFFF_FFFEUL)] // 10, 7, 4, 1 take the branch; 1 - 3 borrows
    [InlineData(5UL, 5UL, 2UL, 0xFFFF_FFFF_FFFF_FFFBUL)] // 5 - 5 = 0 has no borrow; 0 - 5 borrows
    [InlineData(2UL, 3UL, 1UL, 0xFFFF_FFFF_FFFF_FFFFUL)]
    public void ConditionAfterTheRegisterIsRewrittenComparesTheOldValue(ulong x1, ulong x2, ulong iterations, ulong final)
    {
        CpuTestHarness.RunBothTiers(CountdownLoop, h =>
        {
            h[1] = x1;
            h[2] = x2;
        }, h =>
        {
            Assert.Equal(iterations, h[3]);
            Assert.Equal(final, h[1]);
            Assert.Equal(final, h[4]);
            Assert.Equal(0x8000_0000UL, h.Nzcv); // the last SUBS: negative, borrow (C clear)
        });
    }
}
