using Emu.Cpu;
using Emu.Frontend.Translation;
using Emu.Tests.Support;

namespace Emu.Tests.Frontend;

/// <summary>Hints, barriers, system registers, DC ZVA and SP-using forms, run through both tiers.</summary>
public unsafe class SystemTests
{
    private const ulong Code = CpuTestHarness.CodeBase;

    [Fact]
    public void TpidrEl0RoundTrips()
    {
        // msr tpidr_el0, x1; mrs x0, tpidr_el0
        CpuTestHarness.RunBothTiers([0xd51bd041, 0xd53bd040], h => h[1] = 0x123456789abcdef0, h =>
        {
            Assert.Equal(ExitReason.Breakpoint, h.StopReason);
            Assert.Equal(0x123456789abcdef0UL, h[0]);
            Assert.Equal(0x123456789abcdef0UL, h.Ctx->Tpidr);
        });
    }

    [Fact]
    public void TpidrroEl0IsReadableButNotWritable()
    {
        CpuTestHarness.RunBothTiers([0xd53bd060 /* mrs x0, tpidrro_el0 */], h => h.Ctx->TpidrRo = 0x42, h => Assert.Equal(0x42UL, h[0]));
        CpuTestHarness.RunBothTiers([0xd51bd060 /* msr tpidrro_el0, x0 */], _ => { }, h =>
        {
            Assert.Equal(ExitReason.Undefined, h.StopReason);
            Assert.Equal(Code, h.StopPc);
        });
    }

    [Fact]
    public void NzcvReadAndWriteKeepOnlyTheFlagBits()
    {
        // msr nzcv, x1; mrs x0, nzcv
        CpuTestHarness.RunBothTiers([0xd51b4201, 0xd53b4200], h => h[1] = ulong.MaxValue, h =>
        {
            Assert.Equal(0xf0000000UL, h.Nzcv);
            Assert.Equal(0xf0000000UL, h[0]);
        });
        CpuTestHarness.RunBothTiers([0xd53b4200 /* mrs x0, nzcv */], h => h.Nzcv = 0x60000000, h => Assert.Equal(0x60000000UL, h[0]));
    }

    [Theory]
    [InlineData(0x03400000UL, 0x03400000UL)] // DN, FZ, RMode=+inf stick
    [InlineData(0x00009f00UL, 0UL)] // trap enables are not implemented: read as zero
    [InlineData(0x04080000UL, 0x04080000UL)] // AHP, FZ16
    public void FpcrKeepsItsDefinedBits(ulong written, ulong read)
    {
        // msr fpcr, x1; mrs x0, fpcr
        CpuTestHarness.RunBothTiers([0xd51b4401, 0xd53b4400], h => h[1] = written, h => Assert.Equal(read, h[0]));
    }

    [Fact]
    public void FpsrKeepsQcAndCumulativeFlags()
    {
        // msr fpsr, x1; mrs x0, fpsr
        CpuTestHarness.RunBothTiers([0xd51b4421, 0xd53b4420], h => h[1] = ulong.MaxValue, h => Assert.Equal(0x0800009fUL, h[0]));
    }

    [Theory]
    [InlineData(0xd53be000u, 1_000_000_000UL)] // mrs x0, cntfrq_el0
    [InlineData(0xd53b00e0u, 4UL)] // mrs x0, dczid_el0: 64-byte DC ZVA blocks
    [InlineData(0xd53b0020u, 0x8444c004UL)] // mrs x0, ctr_el0
    [InlineData(0xd5380000u, 0x411fd070UL)] // mrs x0, midr_el1
    public void ConstantSystemRegisters(uint word, ulong expected)
    {
        CpuTestHarness.RunBothTiers([word], h => h[0] = 0xdead, h => Assert.Equal(expected, h[0]));
    }

    [Fact]
    public void VirtualCounterIsNonZeroAndMonotonic()
    {
        // mrs x0, cntvct_el0; mrs x1, cntvct_el0; cmp x1, x0; cset x3, hs; cmp x0, #0; cset x4, ne;
        // mov x0, #0; mov x1, #0; cmp xzr, xzr (so both tiers end with the same state)
        CpuTestHarness.RunBothTiers(
            [0xd53be040, 0xd53be041, 0xeb00003f, 0x9a9f37e3, 0xf100001f, 0x9a9f07e4, 0xd2800000, 0xd2800001, 0xeb1f03ff],
            _ => { },
            h =>
            {
                Assert.Equal(1UL, h[3]);
                Assert.Equal(1UL, h[4]);
            });
    }

    [Fact]
    public void IdAa64Pfr0ReportsAArch64WithFpAndSimd()
    {
        CpuTestHarness.RunBothTiers([0xd5380400 /* mrs x0, id_aa64pfr0_el1 */], _ => { }, h =>
        {
            Assert.Equal(ExitReason.Breakpoint, h.StopReason);
            Assert.Equal(0x110011UL, h[0]); // EL0 and EL1 AArch64; FP and AdvSIMD implemented, with half precision
        });
    }

    [Theory]
    [InlineData(0xd53b9c00u)] // mrs x0, pmcr_el0
    [InlineData(0xd51be321u)] // msr cntv_ctl_el0, x1
    [InlineData(0xd5087500u)] // ic iallu (EL1 only)
    [InlineData(0xd50342dfu)] // msr daifset, #2 (not decoded)
    public void PrivilegedOrUnknownSystemAccessIsUndefined(uint word)
    {
        CpuTestHarness.RunBothTiers([0xd2800020 /* mov x0, #1 */, word], _ => { }, h =>
        {
            Assert.Equal(ExitReason.Undefined, h.StopReason);
            Assert.Equal(Code + 4, h.StopPc);
        });
    }

    [Fact]
    public void DcZvaZeroesTheAlignedBlock()
    {
        const ulong block = CpuTestHarness.DataBase + 64;
        CpuTestHarness.RunBothTiers(
            [0xd50b7421 /* dc zva, x1 */, 0xd50b7e21 /* dc civac, x1 */, 0xd50b7b21 /* dc cvau, x1 */],
            h =>
            {
                h.Memory.GetSpan(CpuTestHarness.DataBase, 256).Fill(0xff);
                h[1] = block + 13;
            },
            h =>
            {
                Assert.Equal(ExitReason.Breakpoint, h.StopReason);
                Assert.Equal(0xff, h.Memory.Read<byte>(block - 1));
                Assert.True(h.Memory.GetSpan(block, InstEmitSystem.DcZvaBlockBytes).IndexOfAnyExcept((byte)0) < 0, "block not zeroed");
                Assert.Equal(0xff, h.Memory.Read<byte>(block + 64));
            });
    }

    [Fact]
    public void HintsAndBarriersDoNothing()
    {
        // nop; yield; paciasp; bti c; autiasp; xpaclri; dmb ish; dsb sy; isb; clrex; sb; mov x0, #9
        CpuTestHarness.RunBothTiers(
            [0xd503201f, 0xd503203f, 0xd503233f, 0xd503245f, 0xd50323bf, 0xd50320ff, 0xd5033bbf, 0xd5033f9f, 0xd5033fdf, 0xd5033f5f, 0xd50330ff, 0xd2800120],
            h => h[30] = 0x1234,
            h =>
            {
                Assert.Equal(ExitReason.Breakpoint, h.StopReason);
                Assert.Equal(Code + 48, h.StopPc);
                Assert.Equal(9UL, h[0]);
                Assert.Equal(0x1234UL, h[30]);
            });
    }

    [Fact]
    public void ClrexClosesTheExclusiveMonitor()
    {
        CpuTestHarness.RunBothTiers([0xd5033f5f /* clrex */], h => h.Ctx->ExclusiveSize = 8, h => Assert.Equal(0UL, h.Ctx->ExclusiveSize));
    }

    [Fact]
    public void StackPointerForms()
    {
        const ulong sp = CpuTestHarness.DataBase + 0x1000;
        CpuTestHarness.RunBothTiers(
            [0x910003e0 /* mov x0, sp */, 0x910043ff /* add sp, sp, #16 */, 0xcb2263ff /* sub sp, sp, x2 */],
            h =>
            {
                h.Sp = sp;
                h[2] = 0x30;
            },
            h =>
            {
                Assert.Equal(sp, h[0]);
                Assert.Equal(sp + 16 - 0x30, h.Sp);
            });
        CpuTestHarness.RunBothTiers(
            [0x8b224be0 /* add x0, sp, w2, uxtw #2 */],
            h =>
            {
                h.Sp = sp;
                h[2] = 0xffffffff00000010;
            },
            h => Assert.Equal(sp + 0x40, h[0]));
    }

    [Fact]
    public void LogicalImmediateWritesSpButFlagSettingFormsWriteZr()
    {
        // and sp, x1, #~0xf; tst x1, #1 (ands xzr)
        CpuTestHarness.RunBothTiers([0x927cec3f, 0xf240003f], h => h[1] = 0x100fff, h =>
        {
            Assert.Equal(0x100ff0UL, h.Sp);
            Assert.Equal(0UL, h.Nzcv);
        });
        // mov sp, x1 (add imm)
        CpuTestHarness.RunBothTiers([0x9100003f], h => h[1] = 0x102340, h => Assert.Equal(0x102340UL, h.Sp));
    }

    [Fact]
    public void FlagSettingAddWithSpSource()
    {
        // adds x0, sp, #4; then cmp sp, #16 sets flags of sp - 16
        CpuTestHarness.RunBothTiers([0xb10013e0, 0xf10043ff], h => h.Sp = 0x100010, h =>
        {
            Assert.Equal(0x100014UL, h[0]);
            Assert.Equal(0x100010UL, h.Sp);
            Assert.Equal(0x20000000UL, h.Nzcv); // 0x100010 - 16: positive, nonzero, no borrow
        });
    }

    [Fact]
    public void FlagSettingExtendedFormsReadSpAndWriteZr()
    {
        // subs x0, sp, x2 (extended: Rn is SP); cmp x1, w2, sxtw (Rd 31 is XZR, SP untouched)
        CpuTestHarness.RunBothTiers([0xeb2263e0, 0xeb22c03f], h =>
        {
            h.Sp = 0x100010;
            h[1] = 0xfffffffffffffff0;
            h[2] = 0x00000000fffffff0; // sxtw: -16
        }, h =>
        {
            Assert.Equal(0xffffffff00100020UL, h[0]); // 0x100010 - 0xfffffff0 (x2 used whole), wrapped
            Assert.Equal(0x100010UL, h.Sp);
            Assert.Equal(0x60000000UL, h.Nzcv); // -16 - (-16): zero, no borrow
        });
    }

    [Fact]
    public void ShiftedRegisterFormsTreatRegister31AsZero()
    {
        // add xzr, x1, x2 (result discarded; SP untouched)
        CpuTestHarness.RunBothTiers([0x8b02003f], h =>
        {
            h.Sp = 0x100800;
            h[1] = 1;
            h[2] = 2;
        }, h => Assert.Equal(0x100800UL, h.Sp));
    }

    [Fact]
    public void PcRelativeAddresses()
    {
        // adr x0, .+8; adrp x1, .-0x10000; adrp x2, .+0x3000; adr x3, .-4
        CpuTestHarness.RunBothTiers([0x10000040, 0x90ffff81, 0xf0000002, 0x10ffffe3], _ => { }, h =>
        {
            Assert.Equal(Code + 8, h[0]);
            Assert.Equal(0UL, h[1]);
            Assert.Equal((Code & ~0xfffUL) + 0x3000, h[2]);
            Assert.Equal(Code + 8, h[3]);
        });
    }
}
