using Emu.Cpu;
using Emu.Tests.Support;

namespace Emu.Tests.Frontend;

/// <summary>Branches and exception-generating instructions, run through both tiers. Words from aarch64-linux-gnu-as.</summary>
public unsafe class BranchTests
{
    private const ulong Code = CpuTestHarness.CodeBase;
    private const uint MovX0_1 = 0xd2800020; // mov x0, #1
    private const uint MovX0_2 = 0xd2800040; // mov x0, #2
    private const uint Brk0 = 0xd4200000;

    /// <summary>Runs "branch-if to +12; mov x0,#1; brk; mov x0,#2" and checks which side ran.</summary>
    private static void CheckConditional(uint branch, Action<CpuTestHarness> setup, bool taken)
    {
        CpuTestHarness.RunBothTiers(
            [branch, MovX0_1, Brk0, MovX0_2],
            setup,
            h =>
            {
                Assert.Equal(ExitReason.Breakpoint, h.StopReason);
                Assert.Equal(taken ? 2UL : 1UL, h[0]);
                Assert.Equal(taken ? Code + 16 : Code + 8, h.StopPc);
            });
    }

    [Theory]
    [InlineData(0UL, true)]
    [InlineData(5UL, false)]
    [InlineData(0x100000000UL, false)]
    public void Cbz64(ulong x1, bool taken) => CheckConditional(0xb4000061 /* cbz x1, .+12 */, h => h[1] = x1, taken);

    [Theory]
    [InlineData(0x100000000UL, false)] // only the low 32 bits are tested
    [InlineData(1UL, true)]
    public void Cbnz32(ulong x1, bool taken) => CheckConditional(0x35000061 /* cbnz w1, .+12 */, h => h[1] = x1, taken);

    [Theory]
    [InlineData(1UL << 40, true)]
    [InlineData(~(1UL << 40), false)]
    public void TbnzHighBit(ulong x1, bool taken) => CheckConditional(0xb7400061 /* tbnz x1, #40, .+12 */, h => h[1] = x1, taken);

    [Theory]
    [InlineData(8UL, false)]
    [InlineData(0xfffffff7UL, true)]
    public void Tbz(ulong x1, bool taken) => CheckConditional(0x36180061 /* tbz w1, #3, .+12 */, h => h[1] = x1, taken);

    [Theory]
    [InlineData(0x80000000UL, true)] // N set, V clear: lt
    [InlineData(0x90000000UL, false)] // N == V: ge
    [InlineData(0x10000000UL, true)]
    public void BCondLt(ulong nzcv, bool taken) => CheckConditional(0x5400006b /* b.lt .+12 */, h => h.Nzcv = nzcv, taken);

    [Theory]
    [InlineData(0x40000000UL, false)]
    [InlineData(0x00000000UL, true)]
    public void BcCondNe(ulong nzcv, bool taken) => CheckConditional(0x54000071 /* bc.ne .+12 */, h => h.Nzcv = nzcv, taken);

    [Theory]
    [InlineData(0x5400006eu)] // b.al .+12
    [InlineData(0x5400006fu)] // b.nv .+12 (also always)
    public void AlwaysConditions(uint word) => CheckConditional(word, h => h.Nzcv = 0, taken: true);

    /// <summary>The ARM ARM ConditionHolds pseudocode, written independently of the translator.</summary>
    private static bool ConditionHolds(int cond, ulong nzcv)
    {
        bool n = (nzcv & 0x80000000) != 0, z = (nzcv & 0x40000000) != 0, c = (nzcv & 0x20000000) != 0, v = (nzcv & 0x10000000) != 0;
        bool result = (cond >> 1) switch
        {
            0 => z,
            1 => c,
            2 => n,
            3 => v,
            4 => c && !z,
            5 => n == v,
            6 => n == v && !z,
            _ => true,
        };
        return (cond & 1) == 1 && cond != 15 ? !result : result;
    }

    [Fact]
    public void BCondEveryConditionAndFlagCombination()
    {
        for (int cond = 0; cond < 16; cond++)
            for (ulong flags = 0; flags < 16; flags++)
            {
                ulong nzcv = flags << 28;
                CheckConditional(0x54000060u | (uint)cond /* b.<cond> .+12 */, h => h.Nzcv = nzcv, ConditionHolds(cond, nzcv));
            }
    }

    [Fact]
    public void CompareAndBranchLoop()
    {
        // mov x0, #0; 1: add x0, x0, #1; subs x1, x1, #1; b.ne 1b
        CpuTestHarness.RunBothTiers(
            [0xd2800000, 0x91000400, 0xf1000421, 0x54ffffc1],
            h => h[1] = 5,
            h =>
            {
                Assert.Equal(5UL, h[0]);
                Assert.Equal(0UL, h[1]);
                Assert.Equal(0x60000000UL, h.Nzcv);
            });
    }

    [Fact]
    public void UnconditionalBranchSkips()
    {
        // b .+8; mov x0, #1; mov x2, #3
        CpuTestHarness.RunBothTiers(
            [0x14000002, MovX0_1, 0xd2800062],
            h => h[0] = 0x55,
            h =>
            {
                Assert.Equal(0x55UL, h[0]);
                Assert.Equal(3UL, h[2]);
            });
    }

    [Fact]
    public void BranchWithLinkAndReturn()
    {
        // bl .+12; mov x2, #7; brk #0; mov x0, x30; ret
        CpuTestHarness.RunBothTiers(
            [0x94000003, 0xd28000e2, Brk0, 0xaa1e03e0, 0xd65f03c0],
            _ => { },
            h =>
            {
                Assert.Equal(Code + 4, h[0]);
                Assert.Equal(Code + 4, h[30]);
                Assert.Equal(7UL, h[2]);
                Assert.Equal(Code + 8, h.StopPc);
            });
    }

    [Fact]
    public void BranchToRegister()
    {
        // adr x1, .+12; br x1; mov x0, #1; mov x0, #2
        CpuTestHarness.RunBothTiers(
            [0x10000061, 0xd61f0020, MovX0_1, MovX0_2],
            h => h[30] = 0x1234,
            h =>
            {
                Assert.Equal(2UL, h[0]);
                Assert.Equal(Code + 12, h[1]);
                Assert.Equal(0x1234UL, h[30]);
            });
    }

    [Fact]
    public void BranchWithLinkToX30UsesTheOldValue()
    {
        // adr x30, .+12; blr x30; brk #1; brk #2
        CpuTestHarness.RunBothTiers(
            [0x1000007e, 0xd63f03c0, 0xd4200020, 0xd4200040],
            _ => { },
            h =>
            {
                Assert.Equal(Code + 12, h.StopPc);
                Assert.Equal(Code + 8, h[30]);
                Assert.Equal(2, h.Ctx->ExitInfo);
            });
    }

    [Fact]
    public void PointerAuthenticationBranchesActAsPlainOnes()
    {
        // adr x1, .+12; braa x1, x2; mov x0, #1; mov x0, #2
        CpuTestHarness.RunBothTiers([0x10000061, 0xd71f0822, MovX0_1, MovX0_2], _ => { }, h => Assert.Equal(2UL, h[0]));
        // retaa returns to x30 unchanged
        CpuTestHarness.RunBothTiers(
            [0x1000007e /* adr x30, .+12 */, 0xd65f0bff /* retaa */, MovX0_1, MovX0_2],
            _ => { },
            h => Assert.Equal(2UL, h[0]));
    }

    [Fact]
    public void SvcExitsAsSyscallAfterTheInstruction()
    {
        CpuTestHarness.RunBothTiers([0xd2801008 /* mov x8, #0x80 */, 0xd4000001 /* svc #0 */], _ => { }, h =>
        {
            Assert.Equal(ExitReason.Syscall, h.StopReason);
            Assert.Equal(Code + 8, h.StopPc);
            Assert.Equal(0x80UL, h[8]);
        });
    }

    [Fact]
    public void BrkReportsItsAddressAndImmediate()
    {
        CpuTestHarness.RunBothTiers([0xd503201f /* nop */, 0xd4202460 /* brk #0x123 */], _ => { }, h =>
        {
            Assert.Equal(ExitReason.Breakpoint, h.StopReason);
            Assert.Equal(Code + 4, h.StopPc);
            Assert.Equal(0x123, h.Ctx->ExitInfo);
        });
    }

    [Theory]
    [InlineData(0xd44000a0u, ExitReason.Trap)] // hlt #5
    [InlineData(0x00000007u, ExitReason.Undefined)] // udf #7
    [InlineData(0xd4000002u, ExitReason.Undefined)] // hvc #0
    [InlineData(0xd4000003u, ExitReason.Undefined)] // smc #0
    public void TrappingInstructionsStopAtTheirAddress(uint word, ExitReason reason)
    {
        CpuTestHarness.RunBothTiers([MovX0_1, word, MovX0_2], _ => { }, h =>
        {
            Assert.Equal(reason, h.StopReason);
            Assert.Equal(Code + 4, h.StopPc);
            Assert.Equal(1UL, h[0]);
        });
    }
}
